/**
 * JMH benchmarks of the data plane in memory: flow table lookups, the packet pipeline, worker scaling (figures 1, 2, 6).
 */
package io.isthmus.e2e.bench.jmh;
