package io.isthmus.sol.query;

import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.isthmus.sol.problem.InvalidRequestException;

/**
 * The list endpoints' side of SOL013 queries, shared by every service: reads filter, selectors and page marker from
 * the request, and writes the page as a plain JSON array with {@code Link: <...>; rel="next"} when more follow.
 */
@ApplicationScoped
public class SolLists {

    public static final String FILTER = "filter";
    public static final String MARKER = "nextpage_opaque_marker";

    private final int pageSize;
    private final PageMarker markers;
    private final ObjectMapper mapper;

    public SolLists(SolConfig config, ObjectMapper mapper) {
        if (config.pageSize() < 1) {
            throw new IllegalArgumentException("isthmus.sol.page-size must be at least 1");
        }
        this.pageSize = config.pageSize();
        this.markers = new PageMarker(config.pageMarkerKey());
        this.mapper = mapper;
    }

    /** The query the request asks for; 400 for any malformed part of it. */
    public SolQuery query(UriInfo uri, ListedResource resource) {
        MultivaluedMap<String, String> parameters = uri.getQueryParameters();
        JpqlWhere where = JpqlWhere.of(AttributeFilter.parse(single(parameters, FILTER).orElse(null)), resource);
        FieldSelection selection = FieldSelection.of(parameters, resource);
        Optional<PageMarker.Position> after = single(parameters, MARKER).map(m -> markers.decode(resource.name(), m));
        return new SolQuery(resource, where, selection, after, pageSize);
    }

    /**
     * 200 with the page's elements as {@code view} shows them, selectors applied; the next page's link is the request's
     * own URI (so its filter and selectors) with the marker of where this page ends.
     */
    public <E> Response respond(UriInfo uri, SolQuery query, SolPage<E> page, Function<E, ?> view) {
        List<JsonNode> body = page.items().stream()
                .map(e -> query.selection().apply(mapper.valueToTree(view.apply(e)))).toList();
        Response.ResponseBuilder response = Response.ok(body);
        page.next().ifPresent(next -> {
            URI link = uri.getRequestUriBuilder()
                    .replaceQueryParam(MARKER, markers.encode(query.resource().name(), next)).build();
            response.header("Link", "<" + link + ">; rel=\"next\"");
        });
        return response.build();
    }

    private static Optional<String> single(MultivaluedMap<String, String> parameters, String name) {
        List<String> values = parameters.get(name);
        if (values == null) {
            return Optional.empty();
        }
        if (values.size() != 1) {
            throw new InvalidRequestException(name + " is given " + values.size() + " times; give it once");
        }
        return Optional.of(values.get(0));
    }
}
