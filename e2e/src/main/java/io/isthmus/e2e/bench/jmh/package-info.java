/**
 * JMH benchmarks of the data plane in memory: flow table lookups, the packet pipeline, worker scaling (figures 1, 2, 6),
 * the Maglev lookup table's rebuild and the entries a change of backends moves (figures 12, 13), and the
 * longest-prefix-match FIB at 1M routes of the public IPv4 table's shape ({@code FibLookupBenchmark}).
 */
package io.isthmus.e2e.bench.jmh;
