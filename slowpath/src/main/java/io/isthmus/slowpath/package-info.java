/**
 * The slowpath process: its options (the VNF process contract's flags and config secret), its main class, and the assembly of control loop, policy thread and config endpoint.
 */
package io.isthmus.slowpath;
