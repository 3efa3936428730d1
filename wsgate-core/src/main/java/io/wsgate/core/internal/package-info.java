/** wsgate-core's internals: not API, may change in any release. */
package io.wsgate.core.internal;
