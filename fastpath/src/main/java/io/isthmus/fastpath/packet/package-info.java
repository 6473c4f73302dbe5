/**
 * Flyweights over packet buffers (VXLAN, Ethernet, IPv4, IPv6, TCP, UDP, ICMP, ESP) with offset constants, the parser that finds a packet's flow key, and incremental checksums.
 */
package io.isthmus.fastpath.packet;
