/** Policies whose decision the user supplies: their own code, bounded by a timeout (custom authorizer), or a fixed response (return response). */
package io.wsgate.core.policy.custom;
