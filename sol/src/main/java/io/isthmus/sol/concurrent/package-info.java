/**
 * Concurrency helpers the services share: the pass loop their operation engines run on.
 */
package io.isthmus.sol.concurrent;
