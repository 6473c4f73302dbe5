package io.isthmus.vim.driver;

/**
 * A replica's process exited without anyone asking (a driver fires it, asynchronously); {@code pid} tells it from a
 * replica that was started again since.
 */
public record ReplicaExited(String allocationId, String component, int index, long pid, String reason) {
}
