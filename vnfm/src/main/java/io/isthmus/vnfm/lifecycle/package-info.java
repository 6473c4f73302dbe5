/**
 * The operation engine: the worker that picks due operations, the stepper (read, call, journal), the steps' remote work, the journal that makes every state change, and the reconciler that keeps each slowpath at its VNF's desired configuration.
 */
package io.isthmus.vnfm.lifecycle;
