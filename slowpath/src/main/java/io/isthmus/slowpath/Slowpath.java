package io.isthmus.slowpath;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Clock;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.isthmus.slowpath.api.ConfigHttpServer;
import io.isthmus.slowpath.control.ControlChannel;
import io.isthmus.slowpath.control.ControlLoop;
import io.isthmus.slowpath.control.ControlQueue;
import io.isthmus.slowpath.control.FastpathMessenger;
import io.isthmus.slowpath.control.FastpathRegistry;
import io.isthmus.slowpath.control.HealthProber;
import io.isthmus.slowpath.control.PolicyDriver;
import io.isthmus.slowpath.control.PolicyWorker;
import io.isthmus.slowpath.control.SlowpathCounters;
import io.isthmus.slowpath.control.StatsCollector;
import io.isthmus.slowpath.policy.VnfPolicies;
import io.isthmus.slowpath.policy.VnfPolicy;
import io.isthmus.slowpath.service.SlowpathService;

/**
 * A running slowpath: the control socket and its thread, the bounded queue to the policy thread, the fastpath
 * registry, the VNF policy, the prober of its health checks, and the HTTP config endpoint. Used by
 * {@link SlowpathMain} and by tests that run a slowpath in-process.
 */
public final class Slowpath implements AutoCloseable {

    private final ControlChannel channel;
    private final Thread controlThread;
    private final PolicyWorker policyWorker;
    private final Thread policyThread;
    private final HealthProber prober;
    private final ConfigHttpServer http;
    private final SlowpathService service;
    private final PolicyDriver policyDriver;

    private Slowpath(ControlChannel channel, Thread controlThread, PolicyWorker policyWorker, Thread policyThread,
            HealthProber prober, ConfigHttpServer http, SlowpathService service, PolicyDriver policyDriver) {
        this.policyDriver = policyDriver;
        this.channel = channel;
        this.controlThread = controlThread;
        this.policyWorker = policyWorker;
        this.policyThread = policyThread;
        this.prober = prober;
        this.http = http;
        this.service = service;
    }

    /** Starts a slowpath with the policy of {@code options.vnfType()} found on the class path. */
    public static Slowpath start(SlowpathOptions options) {
        return start(options, VnfPolicies.load(options.vnfType()), Clock.systemUTC());
    }

    /** Starts a slowpath with the given policy. */
    public static Slowpath start(SlowpathOptions options, VnfPolicy policy, Clock clock) {
        ControlChannel channel = ControlChannel.bind(new InetSocketAddress(options.bind(), options.controlPort()));
        HealthProber prober = new HealthProber(clock);
        PolicyDriver policyDriver = null;
        try {
            SlowpathCounters counters = new SlowpathCounters();
            FastpathRegistry registry = new FastpathRegistry(clock, options.fastpathExpiry());
            ControlQueue queue = new ControlQueue(options.puntQueueBytes());
            policyDriver = new PolicyDriver(policy, registry, channel, counters, prober, clock,
                    options.routeLogBytes(), options.routeWindow());
            // before the first configuration can come; what the policy submits waits for the policy thread
            policyDriver.attachPolicy();
            StatsCollector stats = new StatsCollector(registry, new FastpathMessenger(channel));
            SlowpathService service = new SlowpathService(registry, policyDriver, stats, counters, queue,
                    options.statsTimeout(), options.routeLiveTimeout(), clock);
            ConfigHttpServer http = ConfigHttpServer.start(new InetSocketAddress(options.bind(), options.configPort()),
                    options.configSecret(),
                    service, new ObjectMapper());
            PolicyWorker policyWorker = new PolicyWorker(queue, policyDriver, counters);
            prober.wakeWith(policyWorker::signal);
            policyDriver.wakeWith(policyWorker::signal);
            Thread policyThread = Thread.ofPlatform().name("slowpath-policy").daemon(true).start(policyWorker);
            Thread controlThread = Thread.ofPlatform().name("slowpath-control").daemon(true)
                    .start(new ControlLoop(channel, registry, queue, policyWorker, stats, counters,
                            policyDriver.routeDistributor()));
            return new Slowpath(channel, controlThread, policyWorker, policyThread, prober, http, service,
                    policyDriver);
        } catch (IOException e) {
            prober.close();
            channel.close();
            if (policyDriver != null) {
                policyDriver.closePolicy();
            }
            throw new UncheckedIOException("cannot start the config endpoint on port " + options.configPort(), e);
        } catch (RuntimeException e) {
            prober.close();
            channel.close();
            if (policyDriver != null) {
                policyDriver.closePolicy();
            }
            throw e;
        }
    }

    /** Where fastpaths send HELLO and PUNT. */
    public InetSocketAddress controlAddress() {
        return channel.localAddress();
    }

    /** The HTTP config endpoint. */
    public InetSocketAddress configAddress() {
        return http.address();
    }

    public SlowpathService service() {
        return service;
    }

    @Override
    public void close() {
        http.close();
        prober.close();
        channel.close();
        policyWorker.stop();
        try {
            controlThread.join(5_000);
            policyThread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        policyDriver.closePolicy();
    }
}
