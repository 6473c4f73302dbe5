/**
 * The slowpath's use cases behind its endpoint: configure the policy, report health and statistics.
 */
package io.isthmus.slowpath.service;
