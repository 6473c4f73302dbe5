/**
 * Delivery of the outbox: the pump woken on commit and by a timer, the Camel routes that POST each notification with
 * redelivery and backoff and dead-letter what still fails, and the ledger that records each outcome.
 */
package io.isthmus.outbox.integration;
