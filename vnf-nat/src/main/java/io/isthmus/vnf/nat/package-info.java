/**
 * The NAT VNF type: its slowpath policy (bindings, filtering, hairpinning, public addresses and per-host port blocks, port forwards, session limits, forward and reverse rules, expiry, learning its state back from the fastpaths' rules after a restart) and its configuration. Its VNFD and package sources are in src/main/csar; docs/nat.md tells users what it does.
 */
package io.isthmus.vnf.nat;
