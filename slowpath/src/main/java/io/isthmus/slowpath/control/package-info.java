/**
 * The slowpath's side of the control protocol: the fastpaths it knows and what each announced, the bounded punt queue, the policy driver that sends each install in its own message, flow expiry, statistics.
 */
package io.isthmus.slowpath.control;
