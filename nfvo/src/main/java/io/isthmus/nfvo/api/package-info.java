/**
 * The NFVO's REST resources (SOL005 NS LCM and NSD management, SOL003 VNF package management and granting towards the
 * VNFM, the VNFM's notification callback) and {@link io.isthmus.nfvo.api.Views}, which turns entities into SOL
 * representations. Resources stay thin: they check roles, call a service and map the result.
 */
package io.isthmus.nfvo.api;
