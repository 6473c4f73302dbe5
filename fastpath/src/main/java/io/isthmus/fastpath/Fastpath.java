package io.isthmus.fastpath;

import java.net.InetSocketAddress;

import io.isthmus.fastpath.flow.ForwardingEngine;
import io.isthmus.fastpath.io.DatagramPacketIo;
import io.isthmus.fastpath.worker.AgentRunner;
import io.isthmus.fastpath.worker.BackoffIdleStrategy;
import io.isthmus.fastpath.worker.FastpathWorker;
import io.isthmus.fastpath.worker.NanoClock;
import io.isthmus.fastpath.worker.PuntLimiter;
import io.isthmus.fastpath.worker.WorkerCounters;

/**
 * A running fastpath: a data socket, a control socket connected to the slowpath, and one worker thread. Used by
 * {@link FastpathMain} and by tests that run fastpaths in-process.
 */
public final class Fastpath implements AutoCloseable {

    private final DatagramPacketIo data;
    private final DatagramPacketIo control;
    private final FastpathWorker worker;
    private final AgentRunner runner;

    private Fastpath(DatagramPacketIo data, DatagramPacketIo control, FastpathWorker worker, AgentRunner runner) {
        this.data = data;
        this.control = control;
        this.worker = worker;
        this.runner = runner;
    }

    /** Binds the sockets and starts the worker; it says HELLO to the slowpath at once. */
    public static Fastpath start(FastpathOptions options) {
        DatagramPacketIo data = DatagramPacketIo.bind(new InetSocketAddress(options.bind(), options.dataPort()));
        DatagramPacketIo control;
        try {
            control = DatagramPacketIo.connect(new InetSocketAddress(options.bind(), 0), options.slowpath());
        } catch (RuntimeException e) {
            data.close();
            throw e;
        }
        FastpathWorker worker = new FastpathWorker(
                new FastpathWorker.Settings(options.id(), options.slowpath(), options.helloInterval().toNanos()),
                data, control, new ForwardingEngine(options.maxFlows(), options.maxNextHops()),
                new PuntLimiter(options.puntRatePerSecond(), options.puntBurst()), new WorkerCounters(),
                NanoClock.SYSTEM);
        AgentRunner runner = AgentRunner.start(worker, BackoffIdleStrategy.defaults());
        return new Fastpath(data, control, worker, runner);
    }

    /** Where packets for this fastpath go. */
    public InetSocketAddress dataAddress() {
        return data.localAddress();
    }

    /** Where this fastpath's control messages come from and go to. */
    public InetSocketAddress controlAddress() {
        return control.localAddress();
    }

    public WorkerCounters counters() {
        return worker.counters();
    }

    public boolean isRunning() {
        return runner.isRunning();
    }

    /** Stops the worker, then closes the sockets. */
    @Override
    public void close() {
        runner.close();
        control.close();
        data.close();
    }
}
