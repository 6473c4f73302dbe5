package io.isthmus.vimapi.model;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * {@code PUT /vim/v1/allocations/{id}/components/{name}}: run {@code count} replicas of this component. A shrink stops
 * the replicas {@code remove} names (their indexes, exactly current − count of them), the highest indexes when it names
 * none.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ComponentResize(Integer count, List<Integer> remove) {

    public ComponentResize(int count) {
        this(count, null);
    }
}
