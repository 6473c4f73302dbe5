package io.isthmus.sol.problem;

/**
 * The root of the platform's typed domain errors; each subclass fixes the HTTP status it maps to, and
 * {@link ProblemMappers} turns every one into a SOL013 ProblemDetails in one place.
 */
public abstract class SolException extends RuntimeException {

    private final int status;
    private final String title;

    protected SolException(int status, String title, String detail) {
        super(detail);
        this.status = status;
        this.title = title;
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    public ProblemDetails problem() {
        return ProblemDetails.of(status, title, getMessage());
    }
}
