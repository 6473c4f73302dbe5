package io.isthmus.fastpath.worker;

/** A unit of work run by an {@link AgentRunner} on its own thread (after Agrona's {@code Agent}). */
public interface Agent {

    /** Does a bounded amount of work; returns how much (0 lets the runner idle). */
    int doWork() throws Exception;

    default void onStart() {
    }

    default void onClose() {
    }

    /** Called with anything {@link #doWork} threw; the runner keeps going. */
    void onError(Throwable error);

    String roleName();
}
