/**
 * The NAT VNF type: its slowpath policy (bindings, port allocation, forward and reverse rules, expiry) and its configuration. Its VNFD and package sources are in src/main/csar.
 */
package io.isthmus.vnf.nat;
