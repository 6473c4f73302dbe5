package io.isthmus.vimapi.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * {@code POST /vim/v1/allocations/{id}/components/{name}/{index}/restart}: {@code RESTART} runs the replica again on
 * the same ports, {@code REPLACE} in a new process (a fastpath on a new data port; a slowpath keeps its ports).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ReplicaRestart(String mode) {

    public static final String RESTART = "RESTART";
    public static final String REPLACE = "REPLACE";
}
