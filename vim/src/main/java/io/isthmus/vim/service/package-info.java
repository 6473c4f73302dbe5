/**
 * The VIM's use cases: admission against quota and capacity, allocation start and release through a driver, the ledger that records each transition, and the typed errors mapped to ProblemDetails.
 */
package io.isthmus.vim.service;
