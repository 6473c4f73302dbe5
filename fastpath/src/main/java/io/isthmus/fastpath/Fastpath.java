package io.isthmus.fastpath;

import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

import io.isthmus.control.FastpathStats;
import io.isthmus.fastpath.flow.ForwardingEngine;
import io.isthmus.fastpath.flow.IdleTimeouts;
import io.isthmus.fastpath.flow.OutboundSequences;
import io.isthmus.fastpath.flow.SecurityAssociationTable;
import io.isthmus.fastpath.io.DatagramPacketIo;
import io.isthmus.fastpath.io.MmsgPacketIo;
import io.isthmus.fastpath.io.PacketIo;
import io.isthmus.fastpath.io.PacketIoKind;
import io.isthmus.fastpath.io.PacketIos;
import io.isthmus.fastpath.io.XdpPacketIo;
import io.isthmus.fastpath.worker.AgentRunner;
import io.isthmus.fastpath.worker.BackoffIdleStrategy;
import io.isthmus.fastpath.worker.FastpathWorker;
import io.isthmus.fastpath.worker.IdleStrategy;
import io.isthmus.fastpath.worker.NanoClock;
import io.isthmus.fastpath.worker.PuntLimiter;
import io.isthmus.fastpath.worker.WorkerCounters;

/**
 * A running fastpath: {@code --workers} worker threads, each with its own data socket on the shared data port
 * ({@code SO_REUSEPORT} when there are several), its own control socket connected to the slowpath, its own flow table
 * and its own counters and ESP SA table. Nothing is shared between workers, so none of them takes a lock, but the
 * outbound ESP sequence counters ({@link OutboundSequences}: a sequence number is a GCM IV, never to be sent twice),
 * taken with a compare-and-set.
 * <p>
 * Each worker registers with the slowpath on its own, as fastpath {@link #workerId(int, int) id + worker * 2^24}:
 * worker 0 keeps the process's id, so one worker is exactly one fastpath of the contract; the slowpath installs every
 * rule in every registered worker and re-injects a punted packet through the worker that punted it, with no change
 * on its side. Its {@code /health} counts workers.
 * <p>
 * The kernel spreads datagrams over the workers' sockets by the hash of the <em>outer</em> UDP 4-tuple: tunnel
 * endpoints with different source ports land on different workers, while all the inner flows of one outer 4-tuple
 * stay on one worker (an RSS-like spread, not a per-flow one). Used by {@link FastpathMain} and by tests that run
 * fastpaths in-process.
 */
public final class Fastpath implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(Fastpath.class.getName());

    /** Worker {@code w} of fastpath {@code id} registers as {@code id + w * WORKER_ID_STRIDE}. */
    public static final int WORKER_ID_STRIDE = 1 << 24;
    public static final int MAX_WORKERS = 64;

    private final List<PacketIo> data;
    private final List<PacketIo> control;
    private final List<FastpathWorker> workers;
    private final List<AgentRunner> runners;
    private final PacketIoKind io;

    private Fastpath(List<PacketIo> data, List<PacketIo> control, List<FastpathWorker> workers,
            List<AgentRunner> runners, PacketIoKind io) {
        this.data = data;
        this.control = control;
        this.workers = workers;
        this.runners = runners;
        this.io = io;
    }

    /** The id worker {@code worker} of fastpath {@code id} registers with. */
    public static int workerId(int id, int worker) {
        return id + worker * WORKER_ID_STRIDE;
    }

    /** Binds the sockets and starts the workers; each says HELLO to the slowpath at once. */
    public static Fastpath start(FastpathOptions options) {
        int count = options.workers();
        List<PacketIo> data = new ArrayList<>(count);
        List<PacketIo> control = new ArrayList<>(count);
        List<FastpathWorker> workers = new ArrayList<>(count);
        List<AgentRunner> runners = new ArrayList<>(count);
        try {
            InetSocketAddress dataAddress = new InetSocketAddress(options.bind(), options.dataPort());
            for (int w = 0; w < count; w++) {
                // the first socket may pick the port (0 in tests); the others join it
                PacketIo dataIo = PacketIos.bind(w == 0 ? options.io() : PacketIos.kindOf(data.get(0)),
                        w == 0 ? dataAddress : data.get(0).localAddress(), count > 1, options.batch(), options.gso());
                if (w == 0 && options.xdpDevice() != null && dataIo instanceof MmsgPacketIo socket) {
                    try {
                        dataIo = XdpPacketIo.attach(socket, options.xdpDevice());
                    } catch (UnsupportedOperationException e) {
                        LOG.log(Level.WARNING, "--xdp-dev {0} unavailable ({1}); receiving through the UDP socket",
                                options.xdpDevice(), e.getMessage());
                    }
                }
                data.add(dataIo);
                control.add(controlSocket(dataIo, new InetSocketAddress(options.bind(), 0), options.slowpath()));
            }
            // an outbound SA's sequence number is its IV: the workers take them from one set of counters
            OutboundSequences sequences = new OutboundSequences(ForwardingEngine.DEFAULT_SECURITY_ASSOCIATIONS);
            for (int w = 0; w < count; w++) {
                WorkerCounters counters = new WorkerCounters();
                MmsgPacketIo mmsg = data.get(w) instanceof XdpPacketIo xdp
                        ? xdp.socket()
                        : data.get(w) instanceof MmsgPacketIo socket ? socket : null;
                if (mmsg != null) {
                    mmsg.onDrops(packets -> counters.add(FastpathStats.DROPS_INDEX, packets));
                }
                workers.add(new FastpathWorker(
                        new FastpathWorker.Settings(workerId(options.id(), w), options.slowpath(),
                                options.helloInterval().toNanos()),
                        data.get(w), control.get(w),
                        new ForwardingEngine(options.maxFlows(), options.maxNextHops(), IdleTimeouts.DEFAULTS,
                                new SecurityAssociationTable(ForwardingEngine.DEFAULT_SECURITY_ASSOCIATIONS, null,
                                        sequences)),
                        new PuntLimiter(options.puntRatePerSecond(), options.puntBurst()), counters,
                        NanoClock.SYSTEM));
            }
            for (int w = 0; w < count; w++) {
                runners.add(AgentRunner.start(workers.get(w), idleStrategy(data.get(w), control.get(w))));
            }
            return new Fastpath(data, control, workers, runners, PacketIos.kindOf(data.get(0)));
        } catch (RuntimeException | Error e) {
            closeAll(runners, control, data);
            throw e;
        }
    }

    /**
     * Waits in the kernel for the data socket and the control socket where it can (mmsg), else parks: a worker wakes
     * for a packet and for the slowpath's rules and re-injected packets alike.
     */
    private static IdleStrategy idleStrategy(PacketIo data, PacketIo control) {
        int fd = data.readinessFd();
        return fd >= 0 ? BackoffIdleStrategy.onSockets(fd, control.readinessFd()) : BackoffIdleStrategy.defaults();
    }

    /**
     * The worker's socket to and from its slowpath, connected to it: a native one the worker's wait can watch when the
     * data socket is native too, else a channel.
     */
    private static PacketIo controlSocket(PacketIo data, InetSocketAddress local, InetSocketAddress slowpath) {
        if (data.readinessFd() >= 0) {
            try {
                return MmsgPacketIo.connect(local, slowpath);
            } catch (UnsupportedOperationException e) {
                LOG.log(Level.DEBUG, "native control socket unavailable ({0}); using a channel", e.getMessage());
            }
        }
        return DatagramPacketIo.connect(local, slowpath);
    }

    /** Where packets for this fastpath go (all workers share it). */
    public InetSocketAddress dataAddress() {
        return data.get(0).localAddress();
    }

    /** Where worker 0's control messages come from and go to. */
    public InetSocketAddress controlAddress() {
        return controlAddress(0);
    }

    public InetSocketAddress controlAddress(int worker) {
        return control.get(worker).localAddress();
    }

    /** The I/O the data port ended up with (mmsg may have fallen back to channel). */
    public PacketIoKind io() {
        return io;
    }

    /** The data port's I/O as a log line says it, e.g. {@code --io mmsg (batch 32, GRO, GSO)}. */
    public String ioDescription() {
        if (data.get(0) instanceof XdpPacketIo xdp) {
            MmsgPacketIo mmsg = xdp.socket();
            return "--io mmsg with AF_XDP receive on " + xdp.device() + " (batch " + mmsg.batch()
                    + (mmsg.sendsCoalesced() ? ", GSO" : "") + ")";
        }
        if (data.get(0) instanceof MmsgPacketIo mmsg) {
            return "--io mmsg (batch " + mmsg.batch() + (mmsg.receivesCoalesced() ? ", GRO" : "")
                    + (mmsg.sendsCoalesced() ? ", GSO" : "") + ")";
        }
        return "--io " + io.optionValue();
    }

    public int workerCount() {
        return workers.size();
    }

    /** Worker 0's counters. */
    public WorkerCounters counters() {
        return counters(0);
    }

    public WorkerCounters counters(int worker) {
        return workers.get(worker).counters();
    }

    public boolean isRunning() {
        return runners.stream().allMatch(AgentRunner::isRunning);
    }

    /** Stops the workers, then closes the sockets. */
    @Override
    public void close() {
        closeAll(runners, control, data);
    }

    private static void closeAll(List<AgentRunner> runners, List<PacketIo> control, List<PacketIo> data) {
        runners.forEach(AgentRunner::close);
        control.forEach(PacketIo::close);
        data.forEach(PacketIo::close);
    }
}
