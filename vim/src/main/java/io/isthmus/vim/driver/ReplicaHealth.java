package io.isthmus.vim.driver;

/** What the platform says of one replica that should run: running or not, and why not. */
public record ReplicaHealth(String component, int index, boolean running, String reason) {
}
