/**
 * The SOL LCM operation state machine ({@code LcmOperationState}): one transition table, used by the nfvo and the vnfm.
 */
package io.isthmus.sol.lifecycle;
