/**
 * SOL003 VNF LCM resources (VNF instances, LCM operation occurrences, subscriptions, API versions) and their representations: thin, they call the services.
 */
package io.isthmus.vnfm.api;
