/** The outbox table ({@code notification_outbox}, created by each service's own Flyway migrations) and its repository. */
package io.isthmus.outbox.persistence;
