package io.isthmus.sol.api;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The most characters a string attribute of a request may have (what its column holds); a longer one is refused with
 * 400 naming the attribute and the limit. Without it a string may have {@link StrictJsonInput#DEFAULT_MAX_LENGTH}.
 */
@Target({ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT})
@Retention(RetentionPolicy.RUNTIME)
public @interface MaxLength {

    int value();
}
