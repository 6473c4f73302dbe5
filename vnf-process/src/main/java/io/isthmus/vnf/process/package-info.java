/**
 * The VNF process contract: main classes, flags, ports and config endpoint of the slowpath and fastpath processes, in
 * one place for the VIM that starts them, the processes themselves and the VNFM that configures them.
 */
package io.isthmus.vnf.process;
