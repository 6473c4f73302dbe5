/**
 * Benchmarks of the data plane: JMH benchmarks (in-process) and harnesses that drive real processes. They print their
 * figures; nothing here asserts a time. {@code ./nfv bench} runs them and writes {@code docs/benchmarks.md}.
 */
package io.isthmus.e2e.bench;
