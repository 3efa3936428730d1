/** The orchestrator: starts the echo backend and the targets pinned to cores, runs the modes interleaved over rounds, and prints the tables. */
package io.wsgate.bench.orchestrator;
