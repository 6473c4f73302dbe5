/**
 * The secrets of VNF configurations: where a VNF type's JSON Schema marks them ({@code writeOnly}), sealed at rest with
 * AES-256-GCM, left out of every API response.
 */
package io.isthmus.sol.secret;
