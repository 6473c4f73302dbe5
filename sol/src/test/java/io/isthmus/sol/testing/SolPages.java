package io.isthmus.sol.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

import io.restassured.response.Response;

/** Reads a SOL013 paged list as a client does: page after page through {@code Link: <...>; rel="next"}. */
public final class SolPages {

    private SolPages() {
    }

    /**
     * Every element of the list from {@code first} on, following the next links with {@code get} (which must not
     * encode the link again); fails on a page other than 200 or larger than {@code pageSize}.
     */
    public static List<Map<String, Object>> all(Response first, Function<String, Response> get, int pageSize) {
        List<Map<String, Object>> elements = new ArrayList<>();
        Response page = first;
        while (true) {
            page.then().statusCode(200);
            List<Map<String, Object>> items = page.jsonPath().getList("$");
            assertThat(items).hasSizeLessThanOrEqualTo(pageSize);
            elements.addAll(items);
            String next = nextLink(page);
            if (next == null) {
                return elements;
            }
            page = get.apply(next);
        }
    }

    /** What {@link #followWhileAdding} saw: the ids of every page, and the ids of the elements it added. */
    public record Followed(List<String> seen, List<String> added) {
    }

    /**
     * Reads the list from {@code first} on, adding an element with {@code add} (which returns its id) before each next
     * page is read, as a concurrent client would.
     */
    public static Followed followWhileAdding(Response first, Function<String, Response> get,
            Supplier<String> add) {
        first.then().statusCode(200);
        List<String> seen = new ArrayList<>(first.jsonPath().getList("id"));
        String next = nextLink(first);
        assertThat(next).as("a first page with a next link").contains("nextpage_opaque_marker=");
        List<String> added = new ArrayList<>();
        while (next != null) {
            added.add(add.get());
            Response page = get.apply(next);
            page.then().statusCode(200);
            seen.addAll(page.jsonPath().getList("id"));
            next = nextLink(page);
        }
        return new Followed(seen, added);
    }

    /** The URL of the next page, null on the last one. */
    public static String nextLink(Response page) {
        String link = page.header("Link");
        if (link == null) {
            return null;
        }
        assertThat(link).matches("<http[^>]+>; rel=\"next\"");
        return link.substring(1, link.indexOf('>'));
    }
}
