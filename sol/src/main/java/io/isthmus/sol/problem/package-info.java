/**
 * SOL013 ProblemDetails: the typed exceptions every service throws, mapped to application/problem+json in one place.
 */
package io.isthmus.sol.problem;
