/**
 * What every SOL API of the platform shares at its edge: API versions, the {@code Version} header filter (SOL013 queries are {@code io.isthmus.sol.query}).
 */
package io.isthmus.sol.api;
