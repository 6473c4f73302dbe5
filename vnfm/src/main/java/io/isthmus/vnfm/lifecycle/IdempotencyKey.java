package io.isthmus.vnfm.lifecycle;

import jakarta.enterprise.context.RequestScoped;

/** The {@code Idempotency-Key} of the request being served, which the operation it opens keeps. */
@RequestScoped
public class IdempotencyKey {

    private String value;

    public void set(String key) {
        this.value = key;
    }

    public String value() {
        return value;
    }
}
