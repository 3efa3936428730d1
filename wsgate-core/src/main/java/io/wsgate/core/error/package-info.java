/**
 * The errors of the gateway: the one table of errors a client can be answered with, the overrides of its entries,
 * and the exceptions wsgate throws.
 */
package io.wsgate.core.error;
