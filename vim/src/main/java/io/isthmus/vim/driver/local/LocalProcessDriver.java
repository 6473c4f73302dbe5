package io.isthmus.vim.driver.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.isthmus.vim.config.VimConfig;
import io.isthmus.vim.driver.AllocationPlan;
import io.isthmus.vim.driver.ComponentPlan;
import io.isthmus.vim.driver.DriverException;
import io.isthmus.vim.driver.Placement;
import io.isthmus.vim.driver.VimDriver;
import io.isthmus.vnf.process.VnfProcess;

/**
 * Runs VNF components as OS processes of this host, as the VNF process contract says: the slowpath first on a free
 * control (UDP) and config (TCP) port, then each fastpath on a free data port, pointed at the slowpath. Ready is the
 * slowpath's {@code /health} counting every fastpath. Each process logs to its own file.
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
    private final Path java = Path.of(System.getProperty("java.home"), "bin", "java");

    /** The processes this VIM started, by allocation, so a stop finds them even before their placements are saved. */
    private final Map<String, List<Process>> started = new ConcurrentHashMap<>();

    public LocalProcessDriver(VimConfig config, SlowpathProbe probe) {
        this.config = config.local();
        this.probe = probe;
        this.runtimeTypes = new RuntimeVnfTypes(java);
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
        List<Process> processes = new CopyOnWriteArrayList<>();
        started.put(plan.id(), processes);
        try {
            List<Placement> placements = launch(plan, jar, logs, processes);
            Placement slowpath = placements.getFirst();
            awaitReady(plan, slowpath, processes, logs);
            LOG.infof("Allocation %s started: %d processes of %s, logs in %s", plan.id(), processes.size(),
                    plan.vnfType(), logs);
            return placements;
        } catch (RuntimeException e) {
            started.remove(plan.id());
            terminate(processes.stream().map(Process::toHandle).toList());
            throw e instanceof DriverException de ? de : new DriverException(e.getMessage(), e);
        }
    }

    @Override
    public void stop(AllocationPlan plan, List<Placement> placements) {
        Map<Long, ProcessHandle> handles = new LinkedHashMap<>();
        Optional.ofNullable(started.remove(plan.id())).orElse(List.of())
                .forEach(p -> handles.put(p.pid(), p.toHandle()));
        for (Placement placement : placements) {
            if (placement.pid() != null && !handles.containsKey(placement.pid())) {
                ProcessHandle.of(placement.pid()).filter(h -> runs(h, placement))
                        .ifPresent(h -> handles.put(h.pid(), h));
            }
        }
        terminate(List.copyOf(handles.values()));
        LOG.infof("Allocation %s stopped: %d processes", plan.id(), handles.size());
    }

    private List<Placement> launch(AllocationPlan plan, Path jar, Path logs, List<Process> processes) {
        String host = config.host();
        FreePorts ports = new FreePorts(host);
        List<Placement> placements = new ArrayList<>();

        ComponentPlan slowpath = plan.slowpath();
        int control = ports.udp();
        int configPort = ports.tcp();
        Map<String, String> secret = plan.configSecret() == null
                ? Map.of()
                : Map.of(VnfProcess.CONFIG_SECRET_ENV, plan.configSecret());
        Process slow = spawn(LocalCommands.slowpath(java, jar, slowpath, plan.vnfType(), plan.vnfInstanceId(), host,
                control, configPort), secret, logs.resolve(slowpath.name() + "-0.log"), processes);
        placements.add(new Placement(slowpath.name(), slowpath.role(), 0, host, control, configPort, null, slow.pid(),
                null));

        int fastpathId = 0;
        for (ComponentPlan fastpath : plan.fastpaths()) {
            for (int index = 0; index < fastpath.count(); index++, fastpathId++) {
                int data = ports.udp();
                Process fast = spawn(LocalCommands.fastpath(java, jar, fastpath, fastpathId, host,
                        config.dataBind().orElse(host), data, control),
                        Map.of(),
                        logs.resolve(fastpath.name() + "-" + index + ".log"), processes);
                placements.add(new Placement(fastpath.name(), fastpath.role(), index, host, null, null, data,
                        fast.pid(), null));
            }
        }
        return placements;
    }

    /** Starts a process; {@code environment} is added to this VIM's (the config secret: never on a command line). */
    private static Process spawn(List<String> command, Map<String, String> environment, Path log,
            List<Process> processes) {
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            builder.environment().remove(VnfProcess.CONFIG_SECRET_ENV);
            builder.environment().putAll(environment);
            Process process = builder.start();
            processes.add(process);
            return process;
        } catch (IOException e) {
            throw new DriverException("Cannot start " + String.join(" ", command) + ": " + e.getMessage(), e);
        }
    }

    /** Polls the slowpath until it counts every fastpath; fails at once if any process exits. */
    private void awaitReady(AllocationPlan plan, Placement slowpath, List<Process> processes, Path logs) {
        int expected = plan.fastpathReplicas();
        long deadline = System.nanoTime() + config.startTimeout().toNanos();
        OptionalInt registered = OptionalInt.empty();
        while (System.nanoTime() - deadline < 0) {
            for (Process process : processes) {
                if (!process.isAlive()) {
                    throw new DriverException("Allocation " + plan.id() + ": process " + process.pid()
                            + " exited with code " + process.exitValue() + " before it was ready; "
                            + logTail(logs));
                }
            }
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

    /** SIGTERM to all, SIGKILL to those still alive after the grace period, then wait until they are gone. */
    private void terminate(List<ProcessHandle> handles) {
        handles.forEach(ProcessHandle::destroy);
        List<ProcessHandle> survivors = awaitExit(handles);
        if (!survivors.isEmpty()) {
            LOG.warnf("Killing processes %s: still alive %s after SIGTERM", pids(survivors), config.stopGrace());
            survivors.forEach(ProcessHandle::destroyForcibly);
            List<ProcessHandle> undead = awaitExit(survivors);
            if (!undead.isEmpty()) {
                LOG.errorf("Processes %s survived SIGKILL", pids(undead));
            }
        }
    }

    private List<ProcessHandle> awaitExit(List<ProcessHandle> handles) {
        CompletableFuture<?>[] exits = handles.stream().map(ProcessHandle::onExit).toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.allOf(exits).get(config.stopGrace().toMillis(), TimeUnit.MILLISECONDS);
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
