/**
 * The cloud enterprise network (CEN) VNF type, {@code "cen"} (docs/cen.md): a transit router between a tenant's
 * attachments. {@link io.isthmus.vnf.cen.CenPolicy} is its slowpath policy: the configuration
 * ({@link io.isthmus.vnf.cen.CenConfig}) becomes route tables in the fastpaths ({@link io.isthmus.vnf.cen.CenRoutes},
 * pure), packets without a route get ICMP errors. The BGP sessions of router attachments run in
 * {@link io.isthmus.vnf.cen.CenBgpSessions} with the speaker of package {@code bgp}; nothing else here does I/O.
 */
package io.isthmus.vnf.cen;
