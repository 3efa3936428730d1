/** The built-in message policies: per-message limits on established pairs ({@link io.wsgate.api.MessagePolicy}). */
package io.wsgate.core.policy.message;
