/**
 * The fastpath process: its options (the VNF process contract's flags), its main class and the set of workers on one data port. No framework, no allocation on the hot path.
 */
package io.isthmus.fastpath;
