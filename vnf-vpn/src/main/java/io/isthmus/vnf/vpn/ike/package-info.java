/**
 * IKEv2 (RFC 7296) for the VPN gateway: {@link io.isthmus.vnf.vpn.ike.IkeEngine}, a transport-agnostic state machine
 * with pre-shared keys, AES-GCM (RFC 5282), DH groups 14, 19 and 31, NAT traversal, CREATE_CHILD_SA rekeying and
 * INFORMATIONAL deletes and liveness checks; {@code IkeCodec} the messages on the wire,
 * {@code IkeKeys} the key derivation. No I/O, no clock, JDK cryptography only.
 */
package io.isthmus.vnf.vpn.ike;
