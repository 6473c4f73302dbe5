/**
 * The vnfm's own tables: VNF instances (with their desired configuration), LCM operation occurrences with their step journal, subscriptions and the notification outbox; Panache repositories.
 */
package io.isthmus.vnfm.persistence;
