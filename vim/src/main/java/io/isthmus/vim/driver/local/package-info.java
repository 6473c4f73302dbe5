/**
 * The local driver: VNF components as OS processes of this host, run from the one VNF runtime jar as the VNF process contract says; which VNF types it runs, the runtime lists.
 */
package io.isthmus.vim.driver.local;
