/** The benchmark's entry point and command line: {@code run} (the orchestrator), {@code echo}, {@code drive}, {@code jmh}. */
package io.wsgate.bench;
