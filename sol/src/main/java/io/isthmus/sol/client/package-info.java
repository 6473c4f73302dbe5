/**
 * What every REST client of the platform shares: the exception a failed call to a peer becomes, the mapper and helper
 * that produce it, and the filter that adds SOL013's Version header.
 */
package io.isthmus.sol.client;
