/**
 * SOL002/003/005 data types as records, exactly as the APIs write them (only the attributes the platform uses).
 */
package io.isthmus.sol.model;
