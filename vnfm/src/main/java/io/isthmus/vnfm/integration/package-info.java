/**
 * The vnfm's peers: the nfvo (packages, grants), the vim (allocations), each VNF's slowpath (configuration), and the delivery of LCM notifications to subscribers (Camel).
 */
package io.isthmus.vnfm.integration;
