/**
 * The NS LCM engine. Each NS operation type walks the step table of its
 * {@link io.isthmus.nfvo.persistence.NsOperationType}; {@link io.isthmus.nfvo.lifecycle.NsLcmWorker} drives the open
 * operations, {@link io.isthmus.nfvo.lifecycle.NsOperationStepper} advances one by one step (read in a transaction,
 * call the VNFM with none open, journal in another), {@link io.isthmus.nfvo.lifecycle.NsOperationSteps} makes the
 * calls, and {@link io.isthmus.nfvo.lifecycle.NsOperationJournal} is the one place an operation changes state.
 */
package io.isthmus.nfvo.lifecycle;
