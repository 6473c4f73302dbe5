/**
 * The VIM's configuration ({@code @ConfigMapping} under {@code isthmus.vim}) and CDI producers.
 */
package io.isthmus.vim.config;
