package io.isthmus.vim.driver;

/** A new replica a driver is to start: its component (with its size), its index and, for a fastpath, its id. */
public record Replica(ComponentPlan component, int index, Integer fastpathId) {
}
