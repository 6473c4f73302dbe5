/**
 * The vnfm's configuration ({@code @ConfigMapping} under {@code isthmus.vnfm}) and CDI producers.
 */
package io.isthmus.vnfm.config;
