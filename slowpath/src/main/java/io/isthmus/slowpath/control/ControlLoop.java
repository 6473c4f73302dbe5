package io.isthmus.slowpath.control;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Map;
import java.nio.channels.ClosedChannelException;
import java.util.Locale;

import io.isthmus.control.FastpathStats;
import io.isthmus.control.GroupCounters;
import io.isthmus.control.Ipv4Addresses;
import io.isthmus.control.message.BatchFlyweight;
import io.isthmus.control.message.ControlProtocol;
import io.isthmus.control.message.HelloFlyweight;
import io.isthmus.control.message.RouteAckFlyweight;
import io.isthmus.control.message.StatsResponseFlyweight;

/**
 * The slowpath's control thread: reads the control socket and never waits on the policy. HELLO updates the registry
 * and STATS_RESPONSE the stats at once; PUNT (alone, or each of a PUNT_BATCH) and FLOW_EXPIRED are copied into the
 * bounded {@link ControlQueue} for the policy thread. ROUTE_ACK is kept as its fastpath's last ack for the policy
 * thread's {@link RouteDistributor}, which is woken. When the queue is full a PUNT is dropped and counted
 * ({@code puntQueueDrops}): the fastpath punts again on the flow's next packet, within its own punt limit.
 * FLOW_EXPIRED may use the queue's reserve.
 */
public final class ControlLoop implements Runnable {

    private static final System.Logger LOG = System.getLogger(ControlLoop.class.getName());

    private final ControlChannel channel;
    private final FastpathRegistry registry;
    private final ControlQueue queue;
    private final PolicyWorker policyWorker;
    private final StatsCollector statsCollector;
    private final SlowpathCounters counters;
    private final RouteDistributor routeDistributor;
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(ControlProtocol.MAX_MESSAGE_LENGTH + 1);
    private final BatchFlyweight.PacketVisitor onBatchedPunt = this::onBatchedPunt;
    private InetSocketAddress batchSender;
    private int batchFastpathId;
    private InetSocketAddress lastSender;
    private int lastSenderAddress;

    public ControlLoop(ControlChannel channel, FastpathRegistry registry, ControlQueue queue,
            PolicyWorker policyWorker, StatsCollector statsCollector, SlowpathCounters counters,
            RouteDistributor routeDistributor) {
        this.routeDistributor = routeDistributor;
        this.channel = channel;
        this.registry = registry;
        this.queue = queue;
        this.policyWorker = policyWorker;
        this.statsCollector = statsCollector;
        this.counters = counters;
    }

    @Override
    public void run() {
        while (channel.isOpen()) {
            InetSocketAddress sender;
            try {
                sender = channel.receive(buffer);
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                counters.errors.incrementAndGet();
                continue;
            }
            onDatagram(buffer.position(), sender);
        }
    }

    /**
     * Handles a datagram as if received (tests: the bytes go through the loop's own buffer, as from the socket).
     * Nothing thrown leaves it.
     */
    void onDatagram(ByteBuffer datagram, InetSocketAddress sender) {
        buffer.clear();
        buffer.put(0, datagram, datagram.position(), datagram.remaining());
        onDatagram(datagram.remaining(), sender);
    }

    private void onDatagram(int length, InetSocketAddress sender) {
        try {
            dispatch(length, sender);
        } catch (RuntimeException e) {
            counters.errors.incrementAndGet();
            LOG.log(Level.WARNING, "control message from " + sender + " failed", e);
        }
    }

    private void dispatch(int length, InetSocketAddress sender) {
        if (!ControlProtocol.isValidHeader(buffer, 0, length) || !(sender.getAddress() instanceof Inet4Address)) {
            counters.badControlMessage();
            return;
        }
        int fastpathId = ControlProtocol.fastpathId(buffer, 0);
        switch (ControlProtocol.type(buffer, 0)) {
            case ControlProtocol.HELLO -> onHello(fastpathId, length, sender);
            case ControlProtocol.PUNT -> onPunt(0, length, sender);
            case ControlProtocol.PUNT_BATCH -> {
                batchSender = sender;
                batchFastpathId = fastpathId;
                if (BatchFlyweight.decode(buffer, 0, length, onBatchedPunt) < 0) {
                    counters.badControlMessage();
                }
            }
            case ControlProtocol.FLOW_EXPIRED, ControlProtocol.FLOW_DUMP -> {
                if (!enqueue(0, length, sender, true)) {
                    counters.expiryQueueDrops.incrementAndGet();
                }
            }
            case ControlProtocol.STATS_RESPONSE -> {
                FastpathStats stats = StatsResponseFlyweight.decode(buffer, 0, length);
                Map<Integer, GroupCounters> groups = stats == null
                        ? null
                        : StatsResponseFlyweight.groups(buffer, 0, length);
                if (groups == null) {
                    counters.badControlMessage();
                } else {
                    statsCollector.onResponse(fastpathId, ControlProtocol.sequence(buffer, 0), sender, stats, groups);
                }
            }
            case ControlProtocol.ROUTE_ACK -> {
                // cumulative: only the last of each fastpath counts, taken by the policy thread's pump
                if (routeDistributor.onAck(buffer, 0, length, senderAddress(sender), sender.getPort())) {
                    policyWorker.signal();
                } else {
                    counters.badControlMessage();
                }
            }
            default -> counters.badControlMessage();
        }
    }

    private void onPunt(int offset, int length, InetSocketAddress sender) {
        counters.punts.incrementAndGet();
        if (!enqueue(offset, length, sender, false)) {
            counters.puntQueueDrops.incrementAndGet();
        }
    }

    /** A PUNT of a PUNT_BATCH: queued as if it had come alone. */
    private void onBatchedPunt(ByteBuffer message, int offset, int length) {
        if (!ControlProtocol.isValidHeader(message, offset, length)
                || ControlProtocol.type(message, offset) != ControlProtocol.PUNT
                || ControlProtocol.fastpathId(message, offset) != batchFastpathId) {
            counters.badControlMessage();
            return;
        }
        onPunt(offset, length, batchSender);
    }

    private boolean enqueue(int offset, int length, InetSocketAddress sender, boolean priority) {
        if (!queue.offer(buffer, offset, length, senderAddress(sender), sender.getPort(), priority)) {
            return false;
        }
        policyWorker.signal();
        return true;
    }

    private int senderAddress(InetSocketAddress sender) {
        if (sender != lastSender) {
            // the channel hands back the same address object while the sender stays the same
            lastSender = sender;
            lastSenderAddress = Ipv4Addresses.of(sender.getAddress());
        }
        return lastSenderAddress;
    }

    private void onHello(int fastpathId, int length, InetSocketAddress sender) {
        if (!HelloFlyweight.isValid(buffer, 0, length)) {
            counters.badControlMessage();
            return;
        }
        int dataAddress = HelloFlyweight.dataAddress(buffer, 0);
        InetSocketAddress data = dataAddress == 0
                ? new InetSocketAddress(sender.getAddress(), HelloFlyweight.dataPort(buffer, 0))
                : Ipv4Addresses.socketAddress(dataAddress, HelloFlyweight.dataPort(buffer, 0));
        FastpathRegistry.Registration registration = registry.onHello(fastpathId, sender, data,
                HelloFlyweight.flags(buffer, 0));
        if (registration != FastpathRegistry.Registration.REFRESHED) {
            // the policy thread tells it to start from an empty table, ordered before any rule it sends it
            policyWorker.signal();
            LOG.log(Level.INFO, "fastpath {0,number,#} registered ({1}): control {2}, data {3}", fastpathId,
                    registration.name().toLowerCase(Locale.ROOT), sender, data);
        }
    }
}
