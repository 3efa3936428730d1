/** Runnable wsgate examples: the demo gateway with its echo backend, a servlet application, a custom policy. */
package io.wsgate.examples;
