package io.isthmus.slowpath.policy;

import java.util.List;

/** A VNF configuration the policy refuses; {@code PUT /config} answers 400 with {@link #problems()}. */
public class InvalidConfigException extends Exception {

    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    public InvalidConfigException(List<String> problems) {
        super(String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    public InvalidConfigException(String problem) {
        this(List.of(problem));
    }

    public List<String> problems() {
        return problems;
    }
}
