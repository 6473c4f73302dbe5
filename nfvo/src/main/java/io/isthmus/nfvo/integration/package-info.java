/**
 * The NFVO's side of its peers: the SOL003 client towards the VNFM (and its subscription to the VNFM's LCM
 * notifications), the VIM's capacity client, and the Camel route and pump that deliver NS LCM notifications from the
 * outbox to subscribers.
 */
package io.isthmus.nfvo.integration;
