/**
 * Configuration ({@link io.isthmus.nfvo.config.NfvoConfig}, prefix {@code isthmus.nfvo}) and CDI producers: the clock,
 * the HTTP client, this service's OAuth tokens and the SOL clients towards the VNFM and the VIM.
 */
package io.isthmus.nfvo.config;
