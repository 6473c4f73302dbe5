/**
 * SOL013 queries on list endpoints: attribute filters (clause 5.2) compiled to JPQL so the database filters, attribute
 * selectors (clause 5.3) applied to each element of the response, and keyset paging with an opaque marker (clause
 * 5.4.2.1). Every malformed or unknown piece is a 400 ProblemDetails, never ignored.
 */
package io.isthmus.sol.query;
