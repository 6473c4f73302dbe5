package io.isthmus.sol.query;

import java.util.List;
import java.util.Optional;

/** One page of a list, and where the next one starts when there is one. */
public record SolPage<E>(List<E> items, Optional<PageMarker.Position> next) {

    public SolPage {
        items = List.copyOf(items);
    }
}
