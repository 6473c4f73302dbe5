/**
 * The forwarding benchmark harness: fastpath processes over loopback UDP, load generator and sink (figures 4 and 6).
 */
package io.isthmus.e2e.bench.harness;
