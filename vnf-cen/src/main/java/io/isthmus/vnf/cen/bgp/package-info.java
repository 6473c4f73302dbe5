/**
 * A BGP-4 speaker (RFC 4271) for the CEN's external router attachments: IPv4 unicast over plain TCP from the
 * slowpath process, 4-octet AS (RFC 6793), RFC 7606 revised UPDATE error handling. {@link io.isthmus.vnf.cen.bgp.BgpPeer}
 * is the session (I/O, FSM, timers); the codec ({@link io.isthmus.vnf.cen.bgp.BgpMessages},
 * {@link io.isthmus.vnf.cen.bgp.UpdateDecoder}, {@link io.isthmus.vnf.cen.bgp.UpdateEncoder}) is pure and tested
 * without sockets.
 */
package io.isthmus.vnf.cen.bgp;
