/**
 * The NFVO's own tables and nothing else: JPA entities (packages, NSDs, NS instances and their VNFs, NS LCM operation
 * occurrences, grants, subscriptions, the notification outbox), their Panache repositories, and the enums stored in
 * them (NS states, NS operation types with their step tables, steps). Entities that have a lifecycle change it through
 * their own methods; no other service reads these tables.
 */
package io.isthmus.nfvo.persistence;
