/**
 * The VIM API's JAX-RS resources (capacity, quotas, allocations) and health checks: thin, they call the services.
 */
package io.isthmus.vim.api;
