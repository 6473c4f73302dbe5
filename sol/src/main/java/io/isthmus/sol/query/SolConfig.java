package io.isthmus.sol.query;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** SOL013 list queries: paging of every list endpoint of the service. */
@ConfigMapping(prefix = "isthmus.sol")
public interface SolConfig {

    /** The most elements one page of a list holds; more are reached through the Link rel="next" of the response. */
    @WithDefault("100")
    int pageSize();

    /**
     * The key that signs page markers, so that an edited marker is refused. Set the same value on every replica of a
     * service; a marker only holds a position in the list, never anything that widens what a caller may see.
     */
    @WithDefault("isthmus-page-marker")
    String pageMarkerKey();
}
