/**
 * The slowpath's config endpoint (JDK HTTP server): health, configuration (behind the VNF's config secret) and statistics.
 */
package io.isthmus.slowpath.api;
