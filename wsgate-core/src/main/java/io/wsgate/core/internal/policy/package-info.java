/** The implementations of the built-in policies and of chain resolution: not API, may change in any release. */
package io.wsgate.core.internal.policy;
