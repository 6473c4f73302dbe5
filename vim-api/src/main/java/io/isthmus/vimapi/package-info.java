/** The VIM API as one JAX-RS interface: the contract the vnfm and the nfvo call through the Quarkus REST Client. */
package io.isthmus.vimapi;
