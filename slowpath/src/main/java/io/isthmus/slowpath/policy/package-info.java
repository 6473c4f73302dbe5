/**
 * The SPI a VNF type implements: VnfPolicy (found by ServiceLoader by its VNF type), the Miss it decides, the Decision it returns as a sealed set of installs (flow rules, security associations, routes), expiry.
 */
package io.isthmus.slowpath.policy;
