/**
 * New flows through a real slowpath over UDP, with stand-in fastpaths (figure 3).
 */
package io.isthmus.e2e.bench.slowpath;
