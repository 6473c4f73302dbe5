/**
 * The VIM's own tables: capacity pools, tenant quotas, allocations and their placements, with the allocation lifecycle ({@code AllocationState}).
 */
package io.isthmus.vim.persistence;
