/** JMH micro-benchmarks of wsgate's hot paths: one frame through the relay, one policy chain evaluation. */
package io.wsgate.bench.jmh;
