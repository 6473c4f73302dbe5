/**
 * Figures 7 and 8: real TCP through the NAT in the VPC lab ({@code ./nfv lab}'s namespaces), beside the kernel's
 * nftables masquerade in the same lab (root).
 */
package io.isthmus.e2e.bench.lab;
