/**
 * The server load balancer (VNF type {@code "slb"}): {@link io.isthmus.vnf.slb.SlbPolicy}, registered in
 * {@code META-INF/services}, picks a backend for each new connection with the group's {@link io.isthmus.vnf.slb.Maglev}
 * table and installs both directions of full NAT in every fastpath; {@link io.isthmus.vnf.slb.SlbConfig} is its
 * configuration (docs/slb.md). Its VNFD, config schema and package sources are in {@code src/main/csar}.
 */
package io.isthmus.vnf.slb;
