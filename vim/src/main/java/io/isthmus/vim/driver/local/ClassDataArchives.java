package io.isthmus.vim.driver.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;

/**
 * Class-data sharing (CDS) archives of the VNF runtime, made by this VIM, one per kind of VNF process (its main class:
 * slowpath, fastpath): a JVM started with one maps the runtime's and the JDK's classes already parsed and verified
 * instead of loading them from the jar, which is most of a VNF process's start. The first process of a kind records the
 * classes it loads ({@code -XX:DumpLoadedClassList}); once it has run for a while (its start and its first
 * configuration behind it), the VIM dumps a static archive from that list ({@code java -Xshare:dump}, in the
 * background, one at a time) and every process of that kind started after it runs with {@code -XX:SharedArchiveFile}.
 * Processes started meanwhile run without. A recording process that exits before then (a start that failed, a VNF
 * terminated at once) leaves no archive: the next process of its kind records instead.
 * <p>
 * An archive is for one runtime jar (its path, size and modification time) and one JDK, as the JVM checks: a rebuilt
 * jar or another JDK gets an archive of its own, and the older ones are deleted when it is made. Archives outlive the
 * VIM in their directory, so a restarted VIM uses them at once. A dump that fails is logged and not tried again for
 * that jar; the processes run without an archive, as they would anyway.
 */
final class ClassDataArchives {

    private static final Logger LOG = Logger.getLogger(ClassDataArchives.class);
    private static final Duration DUMP_TIMEOUT = Duration.ofMinutes(2);
    private static final String SUFFIX = ".jsa";

    private enum State {
        /** No process of this kind has started from this jar yet. */
        NONE,
        /** A process records the classes it loads; the archive is dumped from its list later. */
        RECORDING,
        /** The archive exists: processes start from it. */
        READY,
        /** The dump failed: processes start without an archive. */
        FAILED
    }

    /** The archive of one kind of process of one jar. */
    private static final class Archive {

        final String kind;
        final Path jar;
        final Path file;
        final Path classList;
        State state;

        Archive(String kind, Path jar, Path file, Path classList, State state) {
            this.kind = kind;
            this.jar = jar;
            this.file = file;
            this.classList = classList;
            this.state = state;
        }
    }

    /**
     * What a process about to start does about its kind's archive: the JVM options it starts with (none, the archive,
     * or recording its classes), and the archive it records for, if it does.
     */
    record Use(List<String> options, Optional<Archive> records) {

        static final Use NONE = new Use(List.of(), Optional.empty());
    }

    private final Path java;
    /** Where archives are kept; empty: none are made or used. */
    private final Optional<Path> directory;
    private final Duration recordFor;
    /** JVM options the archive's processes run with that the archive records and the JVM checks (module options). */
    private final List<String> sharedOptions;
    private final Map<String, Archive> archives = new ConcurrentHashMap<>();
    private final ExecutorService dumps = Executors
            .newSingleThreadExecutor(Thread.ofPlatform().daemon().name("class-data-archives").factory());

    /**
     * @param directory where archives are kept; empty: none are made or used
     * @param recordFor how long the first process of a kind records the classes it loads before its archive is made
     * @param sharedOptions the JVM options of the processes that the archive must be dumped with as well
     */
    ClassDataArchives(Path java, Optional<Path> directory, Duration recordFor, List<String> sharedOptions) {
        this.java = java;
        this.directory = directory;
        this.recordFor = recordFor;
        this.sharedOptions = List.copyOf(sharedOptions);
    }

    /** What a process of {@code mainClass} about to start from {@code jar} does about its kind's archive. */
    Use use(Path jar, String mainClass) {
        if (directory.isEmpty()) {
            return Use.NONE;
        }
        String kind = kind(mainClass);
        Archive archive;
        try {
            Path real = jar.toRealPath();
            String name = kind + "-" + key(real);
            archive = archives.computeIfAbsent(name, n -> {
                Path file = directory.get().resolve(n + SUFFIX);
                return new Archive(kind, real, file, directory.get().resolve(n + ".classlist"),
                        Files.isRegularFile(file) ? State.READY : State.NONE);
            });
        } catch (IOException e) {
            return Use.NONE;
        }
        synchronized (archive) {
            switch (archive.state) {
                case READY :
                    return new Use(List.of("-XX:SharedArchiveFile=" + archive.file), Optional.empty());
                case NONE :
                    try {
                        Files.createDirectories(archive.classList.getParent());
                        Files.deleteIfExists(archive.classList);
                    } catch (IOException e) {
                        LOG.warnf("No class-data archive of the VNF %s: %s", kind, e.getMessage());
                        archive.state = State.FAILED;
                        return Use.NONE;
                    }
                    archive.state = State.RECORDING;
                    return new Use(List.of("-XX:DumpLoadedClassList=" + archive.classList), Optional.of(archive));
                default :
                    return Use.NONE;
            }
        }
    }

    /**
     * The process of {@code use} started: if it records, its archive is made once it has run for
     * {@code recordFor}; if it exits before, the next process of its kind records instead.
     */
    void started(Use use, Process process) {
        use.records().ifPresent(archive -> CompletableFuture.runAsync(() -> {
            if (process.isAlive()) {
                dump(archive);
            } else {
                notStarted(use);
            }
        }, CompletableFuture.delayedExecutor(recordFor.toMillis(), TimeUnit.MILLISECONDS, dumps)));
    }

    /** The process of {@code use} did not start or did not last: the next one records instead, if this one was to. */
    void notStarted(Use use) {
        use.records().ifPresent(archive -> {
            synchronized (archive) {
                archive.state = State.NONE;
            }
        });
    }

    private void dump(Archive archive) {
        long started = System.nanoTime();
        Path list = archive.classList.resolveSibling(archive.classList.getFileName() + ".complete");
        Path partial = archive.file.resolveSibling(archive.file.getFileName() + "." + ProcessHandle.current().pid()
                + ".tmp");
        Path output = archive.file.resolveSibling(archive.file.getFileName() + ".dump.log");
        State outcome = State.FAILED;
        String failure;
        try {
            int classes = completeLines(archive.classList, list);
            List<String> command = new ArrayList<>(List.of(java.toString(), "-Xshare:dump",
                    "-XX:SharedClassListFile=" + list, "-XX:SharedArchiveFile=" + partial));
            command.addAll(sharedOptions);
            command.addAll(List.of("-cp", archive.jar.toString()));
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(output.toFile()).start();
            process.getOutputStream().close();
            if (!process.waitFor(DUMP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                failure = "the dump took over " + DUMP_TIMEOUT;
            } else if (process.exitValue() != 0 || !Files.isRegularFile(partial)) {
                failure = "the dump exited with code " + process.exitValue();
            } else {
                Files.move(partial, archive.file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                outcome = State.READY;
                failure = null;
                LOG.infof("Class-data archive of the VNF %s made from the %d classes its first process loaded"
                        + " (%d MB, %.1f s): %s; its processes start from it from now on", archive.kind, classes,
                        Files.size(archive.file) >> 20, (System.nanoTime() - started) / 1e9, archive.file);
                deleteOlder(archive);
            }
        } catch (IOException e) {
            failure = e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure = "interrupted";
        } finally {
            deleteQuietly(list);
            deleteQuietly(partial);
            deleteQuietly(archive.classList);
        }
        if (failure != null) {
            LOG.warnf("No class-data archive of the VNF %s (its processes start without one): %s; see %s",
                    archive.kind, failure, output);
        } else {
            deleteQuietly(output);
        }
        synchronized (archive) {
            archive.state = outcome;
        }
    }

    /**
     * Copies the complete lines of a class list that a running JVM may still be writing to {@code target}; returns
     * how many classes they name.
     */
    private static int completeLines(Path source, Path target) throws IOException {
        byte[] bytes = Files.readAllBytes(source);
        int end = bytes.length;
        while (end > 0 && bytes[end - 1] != '\n') {
            end--;
        }
        String text = new String(bytes, 0, end, StandardCharsets.UTF_8);
        Files.writeString(target, text);
        return (int) text.lines().filter(l -> !l.startsWith("#") && !l.startsWith("@")).count();
    }

    /** Deletes the archives of this kind made for other jars or JDKs. */
    private void deleteOlder(Archive current) throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(current.file.getParent(),
                current.kind + "-*" + SUFFIX)) {
            for (Path file : files) {
                if (!file.equals(current.file)) {
                    deleteQuietly(file);
                }
            }
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.debugf("Could not delete %s: %s", file, e.getMessage());
        }
    }

    /** {@code io.isthmus.slowpath.SlowpathMain} → {@code slowpath}. */
    static String kind(String mainClass) {
        String simple = mainClass.substring(mainClass.lastIndexOf('.') + 1);
        return (simple.endsWith("Main") ? simple.substring(0, simple.length() - 4) : simple).toLowerCase(Locale.ROOT);
    }

    /** What the JVM checks an archive against: the JDK, and the jar's path, size and modification time. */
    private String key(Path realJar) throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(realJar, BasicFileAttributes.class);
        String identity = java.toRealPath() + "\n" + Runtime.version() + "\n" + realJar + "\n" + attributes.size()
                + "\n" + attributes.lastModifiedTime().toMillis();
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(identity.getBytes(StandardCharsets.UTF_8)), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
