/**
 * New flows through the slowpath, in-process and through a real slowpath over UDP with stand-in fastpaths: the NAT's
 * (figure 3) and the load balancer's new connections (figure 14), one harness for both.
 */
package io.isthmus.e2e.bench.slowpath;
