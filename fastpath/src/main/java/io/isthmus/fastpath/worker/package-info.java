/**
 * The worker loop as an Agent: poll the data socket, look each batch up, run programs, punt misses within a rate limit, apply the slowpath's control messages; idle strategies and counters.
 */
package io.isthmus.fastpath.worker;
