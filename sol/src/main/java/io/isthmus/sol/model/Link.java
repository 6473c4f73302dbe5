package io.isthmus.sol.model;

/** SOL013 Link: a URI to another resource. */
public record Link(String href) {

    public static Link to(String href) {
        return new Link(href);
    }
}
