package io.isthmus.vim.driver.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;

import org.jboss.logging.Logger;

import io.isthmus.vim.config.VimConfig;
import io.isthmus.vim.driver.AllocationPlan;
import io.isthmus.vim.driver.ComponentPlan;
import io.isthmus.vim.driver.DriverException;
import io.isthmus.vim.driver.Placement;
import io.isthmus.vim.driver.Replica;
import io.isthmus.vim.driver.ReplicaExited;
import io.isthmus.vim.driver.VimDriver;
import io.isthmus.vnf.process.VnfProcess;

/**
 * Runs VNF components as OS processes of this host, as the VNF process contract says: the slowpath first on a free
 * control (UDP) and config (TCP) port, then each fastpath on a free data port, pointed at the slowpath. Ready is the
 * slowpath's {@code /health} counting every fastpath (and, after a change, its {@code /stats} hearing from each). Each
 * replica logs to its own file. A process that exits without being asked is reported at once as a
 * {@link ReplicaExited} event.
 */
@ApplicationScoped
public class LocalProcessDriver implements VimDriver {

    public static final String NAME = "local";

    private static final Logger LOG = Logger.getLogger(LocalProcessDriver.class);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final int LOG_TAIL_LINES = 20;

    private final VimConfig.Local config;
    private final SlowpathProbe probe;
    private final RuntimeVnfTypes runtimeTypes;
    private final ClassDataArchives archives;
    private final Event<ReplicaExited> exits;
    private final Path java = Path.of(System.getProperty("java.home"), "bin", "java");

    /** A process this VIM started for one replica; {@code asked} once a stop of it was asked for. */
    private record Launched(String allocationId, String component, int index, Process process, AtomicBoolean asked) {

        long pid() {
            return process.pid();
        }
    }

    /** A replica to launch; null ports are picked free. */
    private record Launch(ComponentPlan component, int index, Integer fastpathId, Integer controlPort,
            Integer configPort, Integer dataPort) {
    }

    /** The processes this VIM started and that still run, by allocation and pid. */
    private final Map<String, Map<Long, Launched>> started = new ConcurrentHashMap<>();

    public LocalProcessDriver(VimConfig config, SlowpathProbe probe, Event<ReplicaExited> exits) {
        this.config = config.local();
        this.probe = probe;
        this.exits = exits;
        this.runtimeTypes = new RuntimeVnfTypes(java);
        this.archives = new ClassDataArchives(java,
                this.config.classArchives() ? Optional.of(Path.of(this.config.classArchiveDir())) : Optional.empty(),
                this.config.classArchiveAfter(), List.of(LocalCommands.NATIVE_ACCESS));
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean enabled() {
        return true;
    }

    @Override
    public boolean supports(String vnfType) {
        return vnfTypes().contains(vnfType);
    }

    @Override
    public Set<String> vnfTypes() {
        return runtimeTypes.of(runtimeJar());
    }

    @Override
    public List<Placement> start(AllocationPlan plan) {
        Path jar = runtimeJar();
        Path logs = logDirectory(plan.id());
        List<Launched> processes = new CopyOnWriteArrayList<>();
        try {
            List<Placement> placements = launch(plan, jar, logs, processes);
            Placement slowpath = placements.getFirst();
            awaitReady(plan, slowpath, processes, logs);
            LOG.infof("Allocation %s started: %d processes of %s, logs in %s", plan.id(), processes.size(),
                    plan.vnfType(), logs);
            return placements;
        } catch (RuntimeException e) {
            terminate(processes, config.stopGrace());
            throw e instanceof DriverException de ? de : new DriverException(e.getMessage(), e);
        }
    }

    @Override
    public void stop(AllocationPlan plan, List<Placement> placements) {
        List<Launched> ours = List.copyOf(Optional.ofNullable(started.get(plan.id())).map(Map::values)
                .orElse(List.of()));
        List<ProcessHandle> others = theirs(placements, ours);
        terminate(ours, config.stopGrace());
        terminateHandles(others, config.stopGrace());
        started.remove(plan.id());
        LOG.infof("Allocation %s stopped: %d processes", plan.id(), ours.size() + others.size());
    }

    @Override
    public List<Placement> resize(AllocationPlan plan, List<Placement> running, List<Placement> removed,
            List<Replica> added) {
        stopReplicas(plan, removed, config.stopGrace());
        List<Launch> launches = added.stream()
                .map(r -> new Launch(r.component(), r.index(), r.fastpathId(), null, null, null)).toList();
        List<Placement> placements = launchAndAwait(plan, running, launches);
        LOG.infof("Allocation %s resized: %d replicas stopped, %d started", plan.id(), removed.size(),
                placements.size());
        return placements;
    }

    @Override
    public Placement restart(AllocationPlan plan, List<Placement> running, Placement replica, boolean replace) {
        stopReplicas(plan, List.of(replica), config.stopGrace());
        Integer dataPort = replace && !replica.isSlowpath() ? null : replica.dataPort();
        Placement placement = launchAndAwait(plan, running, List.of(new Launch(plan.component(replica.component()),
                replica.index(), replica.fastpathId(), replica.controlPort(), replica.configPort(), dataPort)))
                .getFirst();
        LOG.infof("Allocation %s: %s %s as process %d", plan.id(), replace ? "replaced" : "restarted",
                replica.replicaName(), placement.pid());
        return placement;
    }

    @Override
    public void stopReplicas(AllocationPlan plan, List<Placement> replicas, Duration grace) {
        Map<Long, Launched> ours = started.getOrDefault(plan.id(), Map.of());
        List<Launched> launched = replicas.stream().filter(p -> p.pid() != null).map(p -> ours.get(p.pid()))
                .filter(l -> l != null).toList();
        List<ProcessHandle> others = theirs(replicas, launched);
        terminate(launched, grace);
        terminateHandles(others, grace);
    }

    @Override
    public List<Placement> startReplicas(AllocationPlan plan, List<Placement> running, List<Placement> replicas) {
        List<Launch> launches = replicas.stream()
                .sorted((a, b) -> Boolean.compare(b.isSlowpath(), a.isSlowpath()))
                .map(r -> new Launch(plan.component(r.component()), r.index(), r.fastpathId(), r.controlPort(),
                        r.configPort(), r.dataPort()))
                .toList();
        return launchAndAwait(plan, running, launches);
    }

    /**
     * Launches replicas (a slowpath first) next to those {@code running}, and waits until the slowpath counts every
     * fastpath that should run and hears from each; on failure stops what it launched.
     */
    private List<Placement> launchAndAwait(AllocationPlan plan, List<Placement> running, List<Launch> launches) {
        if (launches.isEmpty()) {
            return List.of();
        }
        Path jar = runtimeJar();
        Path logs = logDirectory(plan.id());
        String host = config.host();
        FreePorts ports = new FreePorts(host);
        List<Launched> processes = new CopyOnWriteArrayList<>();
        List<Placement> placements = new ArrayList<>();
        try {
            Optional<Placement> slowpath = running.stream().filter(Placement::isSlowpath).findFirst();
            for (Launch launch : launches) {
                ComponentPlan component = launch.component();
                if (component.isSlowpath()) {
                    int control = launch.controlPort() != null ? launch.controlPort() : ports.udp();
                    int configPort = launch.configPort() != null ? launch.configPort() : ports.tcp();
                    ClassDataArchives.Use archive = archives.use(jar, VnfProcess.SLOWPATH_MAIN);
                    Launched slow = spawn(plan.id(), component.name(), launch.index(),
                            LocalCommands.slowpath(java, jar, archive.options(), component, plan.vnfType(),
                                    plan.vnfInstanceId(), host, control, configPort),
                            archive, secret(plan), logs, processes);
                    Placement placed = new Placement(component.name(), component.role(), launch.index(), host, control,
                            configPort, null, slow.pid(), null, null);
                    placements.add(placed);
                    slowpath = Optional.of(placed);
                } else {
                    Placement slow = slowpath.orElseThrow(() -> new DriverException("Allocation " + plan.id()
                            + ": no slowpath runs, so no fastpath can start; start the slowpath first"));
                    int data = launch.dataPort() != null ? launch.dataPort() : ports.udp();
                    ClassDataArchives.Use archive = archives.use(jar, VnfProcess.FASTPATH_MAIN);
                    Launched fast = spawn(plan.id(), component.name(), launch.index(),
                            LocalCommands.fastpath(java, jar, archive.options(), component, launch.fastpathId(), host,
                                    config.dataBind().orElse(host), data, slow.controlPort()),
                            archive, Map.of(), logs, processes);
                    placements.add(new Placement(component.name(), component.role(), launch.index(), host, null,
                            null, data, fast.pid(), null, launch.fastpathId()));
                }
            }
            Set<Integer> fastpathIds = new HashSet<>();
            running.stream().filter(p -> !p.isSlowpath()).forEach(p -> fastpathIds.add(p.fastpathId()));
            placements.stream().filter(p -> !p.isSlowpath()).forEach(p -> fastpathIds.add(p.fastpathId()));
            awaitAnswering(plan, slowpath.get(), fastpathIds, processes, logs);
            return placements;
        } catch (RuntimeException e) {
            terminate(processes, config.stopGrace());
            throw e instanceof DriverException de ? de : new DriverException(e.getMessage(), e);
        }
    }

    private List<Placement> launch(AllocationPlan plan, Path jar, Path logs, List<Launched> processes) {
        String host = config.host();
        FreePorts ports = new FreePorts(host);
        List<Placement> placements = new ArrayList<>();

        ComponentPlan slowpath = plan.slowpath();
        int control = ports.udp();
        int configPort = ports.tcp();
        ClassDataArchives.Use slowArchive = archives.use(jar, VnfProcess.SLOWPATH_MAIN);
        Launched slow = spawn(plan.id(), slowpath.name(), 0, LocalCommands.slowpath(java, jar, slowArchive.options(),
                slowpath, plan.vnfType(), plan.vnfInstanceId(), host, control, configPort), slowArchive, secret(plan),
                logs, processes);
        placements.add(new Placement(slowpath.name(), slowpath.role(), 0, host, control, configPort, null, slow.pid(),
                null, null));

        int fastpathId = 0;
        for (ComponentPlan fastpath : plan.fastpaths()) {
            for (int index = 0; index < fastpath.count(); index++, fastpathId++) {
                int data = ports.udp();
                ClassDataArchives.Use archive = archives.use(jar, VnfProcess.FASTPATH_MAIN);
                Launched fast = spawn(plan.id(), fastpath.name(), index, LocalCommands.fastpath(java, jar,
                        archive.options(), fastpath, fastpathId, host, config.dataBind().orElse(host), data, control),
                        archive, Map.of(), logs, processes);
                placements.add(new Placement(fastpath.name(), fastpath.role(), index, host, null, null, data,
                        fast.pid(), null, fastpathId));
            }
        }
        return placements;
    }

    private static Map<String, String> secret(AllocationPlan plan) {
        return plan.configSecret() == null ? Map.of() : Map.of(VnfProcess.CONFIG_SECRET_ENV, plan.configSecret());
    }

    /**
     * Starts the process of one replica, logging to {@code <component>-<index>.log}; {@code environment} is added to
     * this VIM's (the config secret: never on a command line); {@code archive} is what its command does about the
     * runtime's class-data archive. Its exit is reported unless a stop was asked for.
     */
    private Launched spawn(String allocationId, String component, int index, List<String> command,
            ClassDataArchives.Use archive, Map<String, String> environment, Path logs, List<Launched> processes) {
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(
                            logs.resolve(component + "-" + index + ".log").toFile()));
            builder.environment().remove(VnfProcess.CONFIG_SECRET_ENV);
            builder.environment().putAll(environment);
            Process process = builder.start();
            archives.started(archive, process);
            Launched launched = new Launched(allocationId, component, index, process, new AtomicBoolean());
            started.computeIfAbsent(allocationId, k -> new ConcurrentHashMap<>()).put(process.pid(), launched);
            processes.add(launched);
            process.onExit().thenRun(() -> exited(launched));
            return launched;
        } catch (IOException e) {
            archives.notStarted(archive);
            throw new DriverException("Cannot start " + String.join(" ", command) + ": " + e.getMessage(), e);
        }
    }

    private void exited(Launched launched) {
        Map<Long, Launched> ours = started.get(launched.allocationId());
        if (ours != null) {
            ours.remove(launched.pid(), launched);
        }
        if (!launched.asked().get()) {
            String reason = "exited with code " + launched.process().exitValue();
            LOG.warnf("Allocation %s: %s-%d (process %d) %s without being asked", launched.allocationId(),
                    launched.component(), launched.index(), launched.pid(), reason);
            exits.fireAsync(new ReplicaExited(launched.allocationId(), launched.component(), launched.index(),
                    launched.pid(), reason));
        }
    }

    /** Polls the slowpath until it counts every fastpath; fails at once if any process exits. */
    private void awaitReady(AllocationPlan plan, Placement slowpath, List<Launched> processes, Path logs) {
        int expected = plan.fastpathReplicas();
        long deadline = System.nanoTime() + config.startTimeout().toNanos();
        OptionalInt registered = OptionalInt.empty();
        while (System.nanoTime() - deadline < 0) {
            failIfAnyExited(plan, processes, logs);
            registered = probe.registeredFastpaths(slowpath.host(), slowpath.configPort());
            if (registered.isPresent() && registered.getAsInt() >= expected) {
                return;
            }
            pause();
        }
        throw new DriverException("Allocation " + plan.id() + " was not ready within " + config.startTimeout()
                + ": the slowpath " + (registered.isPresent()
                        ? "counts " + registered.getAsInt() + " of " + expected + " fastpaths"
                        : "did not answer GET /health on port " + slowpath.configPort())
                + "; " + logTail(logs));
    }

    /**
     * After a change: polls the slowpath until it counts {@code fastpathIds.size()} fastpaths and hears from each of
     * them ({@code /stats}), since a fastpath that left may still be counted for a few seconds and one that restarted
     * keeps its id. Fails at once if a launched process exits.
     */
    private void awaitAnswering(AllocationPlan plan, Placement slowpath, Set<Integer> fastpathIds,
            List<Launched> processes, Path logs) {
        long deadline = System.nanoTime() + config.startTimeout().toNanos();
        OptionalInt registered = OptionalInt.empty();
        Optional<Set<Integer>> answering = Optional.empty();
        while (System.nanoTime() - deadline < 0) {
            failIfAnyExited(plan, processes, logs);
            registered = probe.registeredFastpaths(slowpath.host(), slowpath.configPort());
            if (registered.isPresent() && registered.getAsInt() >= fastpathIds.size()) {
                answering = fastpathIds.isEmpty()
                        ? Optional.of(Set.of())
                        : probe.answeringFastpaths(slowpath.host(), slowpath.configPort());
                if (answering.isPresent() && answering.get().containsAll(fastpathIds)) {
                    return;
                }
            }
            pause();
        }
        throw new DriverException("Allocation " + plan.id() + " was not ready within " + config.startTimeout()
                + ": the slowpath " + (registered.isEmpty()
                        ? "did not answer GET /health on port " + slowpath.configPort()
                        : "counts " + registered.getAsInt() + " fastpaths, hears from "
                                + answering.map(Object::toString).orElse("none") + " of " + fastpathIds)
                + "; " + logTail(logs));
    }

    private static void failIfAnyExited(AllocationPlan plan, List<Launched> processes, Path logs) {
        for (Launched launched : processes) {
            Process process = launched.process();
            if (!process.isAlive()) {
                throw new DriverException("Allocation " + plan.id() + ": process " + process.pid() + " ("
                        + launched.component() + "-" + launched.index() + ") exited with code " + process.exitValue()
                        + " before it was ready; " + logTail(logs));
            }
        }
    }

    /** Processes of {@code placements} this VIM did not start itself (a previous VIM did), found by pid. */
    private static List<ProcessHandle> theirs(List<Placement> placements, List<Launched> ours) {
        Set<Long> known = new HashSet<>(ours.stream().map(Launched::pid).toList());
        List<ProcessHandle> handles = new ArrayList<>();
        for (Placement placement : placements) {
            if (placement.pid() != null && !known.contains(placement.pid())) {
                ProcessHandle.of(placement.pid()).filter(h -> runs(h, placement)).ifPresent(handles::add);
            }
        }
        return handles;
    }

    /** Our processes, asked to stop: their exits are no failures. */
    private void terminate(List<Launched> launched, Duration grace) {
        launched.forEach(l -> l.asked().set(true));
        terminateHandles(launched.stream().map(l -> l.process().toHandle()).toList(), grace);
    }

    /**
     * SIGTERM to all, SIGKILL to those still alive after {@code grace} (at once when it is zero), then wait until they
     * are gone.
     */
    private void terminateHandles(List<ProcessHandle> handles, Duration grace) {
        if (handles.isEmpty()) {
            return;
        }
        List<ProcessHandle> survivors = handles;
        if (!grace.isZero()) {
            handles.forEach(ProcessHandle::destroy);
            survivors = awaitExit(handles, grace);
            if (!survivors.isEmpty()) {
                LOG.warnf("Killing processes %s: still alive %s after SIGTERM", pids(survivors), grace);
            }
        }
        survivors.forEach(ProcessHandle::destroyForcibly);
        List<ProcessHandle> undead = awaitExit(survivors, config.stopGrace());
        if (!undead.isEmpty()) {
            LOG.errorf("Processes %s survived SIGKILL", pids(undead));
        }
    }

    private static List<ProcessHandle> awaitExit(List<ProcessHandle> handles, Duration grace) {
        CompletableFuture<?>[] exits = handles.stream().map(ProcessHandle::onExit).toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.allOf(exits).get(grace.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // the survivors are listed below
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return handles.stream().filter(ProcessHandle::isAlive).toList();
    }

    /** A pid from the database is ours only if that process still runs our component: pids are reused. */
    private static boolean runs(ProcessHandle handle, Placement placement) {
        Optional<String> commandLine = handle.info().commandLine();
        if (commandLine.isEmpty()) {
            return handle.info().command().map(c -> c.endsWith("java")).orElse(false);
        }
        String port = Integer.toString(placement.dataPort() != null ? placement.dataPort() : placement.configPort());
        List<String> words = List.of(commandLine.get().split(" "));
        return (words.contains(VnfProcess.SLOWPATH_MAIN) || words.contains(VnfProcess.FASTPATH_MAIN))
                && words.contains(port);
    }

    private Path runtimeJar() {
        Path jar = Path.of(config.runtime()).toAbsolutePath().normalize();
        if (!Files.isRegularFile(jar)) {
            throw new DriverException("The VNF runtime jar is missing: " + jar);
        }
        return jar;
    }

    private Path logDirectory(String allocationId) {
        Path dir = Path.of(config.logDir()).toAbsolutePath().resolve(allocationId);
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new DriverException("Cannot create the log directory " + dir + ": " + e.getMessage(), e);
        }
    }

    private static String logTail(Path logs) {
        StringBuilder tail = new StringBuilder("logs in ").append(logs);
        try (var files = Files.list(logs)) {
            for (Path log : files.sorted().toList()) {
                List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
                if (!lines.isEmpty()) {
                    tail.append("\n--- ").append(log.getFileName()).append(" ---\n").append(String.join("\n",
                            lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size())));
                }
            }
        } catch (IOException e) {
            tail.append(" (unreadable: ").append(e.getMessage()).append(')');
        }
        return tail.toString();
    }

    private static List<Long> pids(List<ProcessHandle> handles) {
        return handles.stream().map(ProcessHandle::pid).toList();
    }

    private static void pause() {
        try {
            Thread.sleep(POLL);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DriverException("Interrupted while waiting for the VNF to be ready");
        }
    }
}
