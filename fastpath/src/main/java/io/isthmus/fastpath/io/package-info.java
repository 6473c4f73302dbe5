/**
 * Packet I/O: batched recvmmsg/sendmmsg with GRO/GSO through the FFM API, the JDK DatagramChannel fallback, AF_XDP receive, and in-memory rings for tests and benchmarks.
 */
package io.isthmus.fastpath.io;
