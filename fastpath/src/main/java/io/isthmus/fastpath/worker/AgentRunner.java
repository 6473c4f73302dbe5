package io.isthmus.fastpath.worker;

import java.time.Duration;

/**
 * Runs an {@link Agent} on a dedicated thread: {@code doWork()} in a loop, idling by the {@link IdleStrategy} when
 * there is no work. A throw is handed to {@link Agent#onError} and the loop goes on; only {@link #close()} stops it.
 */
public final class AgentRunner implements Runnable, AutoCloseable {

    private final Agent agent;
    private final IdleStrategy idleStrategy;
    private volatile boolean running = true;
    private volatile Thread thread;

    public AgentRunner(Agent agent, IdleStrategy idleStrategy) {
        this.agent = agent;
        this.idleStrategy = idleStrategy;
    }

    /** Starts the runner on a new platform thread named after the agent's role. */
    public static AgentRunner start(Agent agent, IdleStrategy idleStrategy) {
        AgentRunner runner = new AgentRunner(agent, idleStrategy);
        Thread thread = Thread.ofPlatform().name(agent.roleName()).unstarted(runner);
        runner.thread = thread;
        thread.start();
        return runner;
    }

    @Override
    public void run() {
        thread = Thread.currentThread();
        agent.onStart();
        try {
            while (running) {
                try {
                    idleStrategy.idle(agent.doWork());
                } catch (Throwable t) {
                    if (t instanceof InterruptedException) {
                        Thread.currentThread().interrupt();
                    }
                    agent.onError(t);
                    if (t instanceof Error && !(t instanceof AssertionError)) {
                        throw (Error) t;
                    }
                }
            }
        } finally {
            agent.onClose();
        }
    }

    public boolean isRunning() {
        return running;
    }

    /** Stops the loop and waits up to {@code timeout} for it to end. */
    public void close(Duration timeout) {
        running = false;
        Thread t = thread;
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join(timeout);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(5));
    }
}
