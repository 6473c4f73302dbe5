package io.isthmus.slowpath.service;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** The body of {@code GET /health}: {@code {"status":"UP","fastpaths":<registered count>}}. */
@JsonPropertyOrder({"status", "fastpaths"})
public record Health(String status, int fastpaths) {
}
