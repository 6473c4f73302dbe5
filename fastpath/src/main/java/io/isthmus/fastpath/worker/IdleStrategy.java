package io.isthmus.fastpath.worker;

/** What a worker does between polls that found no work (after Agrona's {@code IdleStrategy}). */
public interface IdleStrategy {

    /** Idles if {@code workCount} is 0, else resets. */
    default void idle(int workCount) {
        if (workCount > 0) {
            reset();
        } else {
            idle();
        }
    }

    /** One idle step. */
    void idle();

    /** Work was found: start the back-off again. */
    void reset();
}
