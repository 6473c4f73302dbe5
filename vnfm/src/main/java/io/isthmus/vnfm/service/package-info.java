/**
 * The vnfm's use cases (create, instantiate, terminate, delete, operation retry/fail, subscriptions), the check of a desired configuration against its package, and the typed errors mapped to ProblemDetails.
 */
package io.isthmus.vnfm.service;
