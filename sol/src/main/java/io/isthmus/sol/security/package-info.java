/**
 * The caller of a request: its roles and the tenant it is scoped to, read from the bearer token.
 */
package io.isthmus.sol.security;
