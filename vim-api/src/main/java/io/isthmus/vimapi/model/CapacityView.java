package io.isthmus.vimapi.model;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** {@code GET /vim/v1/capacity}: every enabled pool, what it holds and what is used. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CapacityView(List<Pool> pools) {

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Pool(String id, String driver, int vcpusTotal, int vcpusUsed, long memoryMbTotal,
            long memoryMbUsed) {
    }
}
