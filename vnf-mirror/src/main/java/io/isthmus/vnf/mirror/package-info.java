/**
 * The mirror VNF type, the smallest: every flow forwarded unchanged to one next hop and counted. Its VNFD and package sources are in src/main/csar.
 */
package io.isthmus.vnf.mirror;
