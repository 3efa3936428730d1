/** The policy chain runner the gateway and the testing kit share: not API, may change in any release. */
package io.wsgate.core.internal.policy;
