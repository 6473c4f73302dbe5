package io.isthmus.vim.service;

import java.util.List;

/** {@code GET /vim/v1/capacity}: every enabled pool, what it holds and what is used. */
public record CapacityView(List<Pool> pools) {

    public record Pool(String id, String driver, int vcpusTotal, int vcpusUsed, long memoryMbTotal,
            long memoryMbUsed) {
    }
}
