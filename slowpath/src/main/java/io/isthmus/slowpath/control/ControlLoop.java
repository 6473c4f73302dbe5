package io.isthmus.slowpath.control;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.Locale;

import io.isthmus.fastpath.control.ControlProtocol;
import io.isthmus.fastpath.control.FastpathStats;
import io.isthmus.fastpath.control.Ipv4Addresses;

/**
 * The slowpath's control thread: receives HELLO, PUNT and STATS_RESPONSE and hands them on. A fastpath that
 * registers anew (new id, or a known id from another address, e.g. after this slowpath or that fastpath restarted)
 * is told to remove all its rules first, so its cache cannot disagree with this slowpath's state.
 */
public final class ControlLoop implements Runnable {

    private static final System.Logger LOG = System.getLogger(ControlLoop.class.getName());

    private final ControlChannel channel;
    private final FastpathRegistry registry;
    private final PolicyDriver policyDriver;
    private final StatsCollector statsCollector;
    private final FastpathMessenger messenger;
    private final SlowpathCounters counters;
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(ControlProtocol.MAX_MESSAGE_LENGTH + 1);

    public ControlLoop(ControlChannel channel, FastpathRegistry registry, PolicyDriver policyDriver,
            StatsCollector statsCollector, FastpathMessenger messenger, SlowpathCounters counters) {
        this.channel = channel;
        this.registry = registry;
        this.policyDriver = policyDriver;
        this.statsCollector = statsCollector;
        this.messenger = messenger;
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
            try {
                dispatch(buffer.position(), sender);
            } catch (RuntimeException e) {
                counters.errors.incrementAndGet();
                LOG.log(Level.WARNING, "control message from " + sender + " failed", e);
            }
        }
    }

    private void dispatch(int length, InetSocketAddress sender) {
        if (!ControlProtocol.isValidHeader(buffer, 0, length)) {
            counters.errors.incrementAndGet();
            return;
        }
        int fastpathId = ControlProtocol.fastpathId(buffer, 0);
        switch (ControlProtocol.type(buffer, 0)) {
            case ControlProtocol.HELLO -> onHello(fastpathId, length, sender);
            case ControlProtocol.PUNT -> policyDriver.onPunt(buffer, length, sender);
            case ControlProtocol.STATS_RESPONSE -> {
                FastpathStats stats = ControlProtocol.decodeStatsResponse(buffer, 0, length);
                if (stats == null) {
                    counters.errors.incrementAndGet();
                } else {
                    statsCollector.onResponse(fastpathId, ControlProtocol.sequence(buffer, 0), sender, stats);
                }
            }
            default -> counters.errors.incrementAndGet();
        }
    }

    private void onHello(int fastpathId, int length, InetSocketAddress sender) {
        if (!ControlProtocol.isValidHello(buffer, 0, length)) {
            counters.errors.incrementAndGet();
            return;
        }
        int dataAddress = ControlProtocol.helloDataAddress(buffer, 0);
        InetSocketAddress data = dataAddress == 0
                ? new InetSocketAddress(sender.getAddress(),
                        ControlProtocol.helloDataPort(buffer, 0))
                : Ipv4Addresses.socketAddress(dataAddress, ControlProtocol.helloDataPort(buffer, 0));
        FastpathRegistry.Registration registration = registry.onHello(fastpathId, sender, data);
        if (registration != FastpathRegistry.Registration.REFRESHED) {
            messenger.removeAll(fastpathId, sender);
            LOG.log(Level.INFO, "fastpath {0,number,#} registered ({1}): control {2}, data {3}", fastpathId,
                    registration.name().toLowerCase(Locale.ROOT), sender, data);
        }
    }
}
