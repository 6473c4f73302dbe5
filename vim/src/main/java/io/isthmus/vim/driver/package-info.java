/**
 * The driver SPI: what runs an allocation's components somewhere (plans, placements), and the registry of enabled drivers. Drivers own no accounting.
 */
package io.isthmus.vim.driver;
