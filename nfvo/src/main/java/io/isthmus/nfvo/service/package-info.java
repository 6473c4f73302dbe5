/**
 * The NFVO's use cases, called by the resources in {@code api}: VNF package on-boarding, NSDs, NS lifecycle requests
 * (which open operations the engine in {@code lifecycle} drives), grants, subscriptions and the notification outbox,
 * and the typed domain exceptions that map to SOL013 ProblemDetails.
 */
package io.isthmus.nfvo.service;
