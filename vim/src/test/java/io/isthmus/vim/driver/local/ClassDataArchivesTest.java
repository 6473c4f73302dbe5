package io.isthmus.vim.driver.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.isthmus.vnf.process.VnfProcess;

/**
 * The VIM's class-data archives of the VNF runtime, made from real JVMs of the real runtime jar (vnf-runtime): the
 * first process of a kind records, the archive is dumped from its list, and the JVMs started after load the runtime's
 * classes from it.
 */
class ClassDataArchivesTest {

    private static final Path JAVA = Path.of(System.getProperty("java.home"), "bin", "java");
    private static final Path BUILT_JAR = Path.of(System.getProperty("isthmus.module-dir", "."))
            .resolve("../vnf-runtime/target/isthmus-vnf-runtime.jar").toAbsolutePath().normalize();

    @TempDir
    Path directory;
    Path jar;
    ClassDataArchives archives;
    final List<Process> slowpaths = new ArrayList<>();

    @BeforeEach
    void aRuntimeJarOfItsOwn() throws IOException {
        assumeTrue(Files.isRegularFile(BUILT_JAR), "the VNF runtime jar is not built yet: " + BUILT_JAR);
        jar = Files.copy(BUILT_JAR, directory.resolve("runtime.jar"));
        archives = new ClassDataArchives(JAVA, Optional.of(directory.resolve("archives")), Duration.ofSeconds(1),
                List.of(LocalCommands.NATIVE_ACCESS));
    }

    @AfterEach
    void stopTheSlowpaths() {
        slowpaths.forEach(Process::destroyForcibly);
    }

    @Test
    void theFirstProcessRecordsItsClassesAndTheProcessesAfterItLoadThemFromTheArchiveMadeOfThem() throws Exception {
        // Given the first slowpath process: it records the classes it loads
        ClassDataArchives.Use first = archives.use(jar, VnfProcess.SLOWPATH_MAIN);
        assertThat(first.options()).singleElement().asString().startsWith("-XX:DumpLoadedClassList=");
        archives.started(first, slowpath(first.options()));
        // the processes started while it records start without an archive
        assertThat(archives.use(jar, VnfProcess.SLOWPATH_MAIN).options()).isEmpty();

        // When it has run for a while and the archive is made
        List<String> options = awaitArchive(VnfProcess.SLOWPATH_MAIN);

        // Then a slowpath started now maps the runtime's own classes from it (-Xshare:on: no start without it)
        assertThat(options).singleElement().asString().startsWith("-XX:SharedArchiveFile=")
                .endsWith(".jsa").contains(directory.resolve("archives").toString());
        List<String> command = new ArrayList<>(List.of("-Xshare:on", "-Xlog:class+load=info"));
        command.addAll(options);
        String output = run(command, VnfProcess.SLOWPATH_MAIN, VnfProcess.LIST_VNF_TYPES);
        assertThat(output).contains("io.isthmus.slowpath.SlowpathMain source: shared objects file")
                .doesNotContain("[error").doesNotContain("[warning");
        // and the fastpath, another kind of process, has no archive yet: its first process records
        assertThat(archives.use(jar, VnfProcess.FASTPATH_MAIN).options()).singleElement().asString()
                .startsWith("-XX:DumpLoadedClassList=");
    }

    @Test
    void aRebuiltJarGetsAnArchiveOfItsOwnAndTheOldOneGoes() throws Exception {
        // Given an archive made for the jar
        ClassDataArchives.Use first = archives.use(jar, VnfProcess.SLOWPATH_MAIN);
        archives.started(first, slowpath(first.options()));
        Path old = Path
                .of(awaitArchive(VnfProcess.SLOWPATH_MAIN).getFirst().substring("-XX:SharedArchiveFile=".length()));

        // When the jar is rebuilt (a JVM would refuse the old archive: "timestamp has changed")
        Files.setLastModifiedTime(jar, FileTime.from(Instant.now().plusSeconds(60)));

        // Then the next process records again, and once the new archive is made the old one is deleted
        ClassDataArchives.Use again = archives.use(jar, VnfProcess.SLOWPATH_MAIN);
        assertThat(again.options()).singleElement().asString().startsWith("-XX:DumpLoadedClassList=");
        archives.started(again, slowpath(again.options()));
        Path renewed = Path.of(awaitArchive(VnfProcess.SLOWPATH_MAIN).getFirst()
                .substring("-XX:SharedArchiveFile=".length()));
        assertThat(renewed).isNotEqualTo(old).isRegularFile();
        assertThat(old).doesNotExist();
    }

    @Test
    void aRecordingProcessThatExitsAtOnceLeavesNoArchiveAndTheNextProcessRecords() throws Exception {
        // Given a first slowpath that records, and exits at once (as a start that failed does)
        ClassDataArchives.Use first = archives.use(jar, VnfProcess.SLOWPATH_MAIN);
        archives.started(first, start(first.options(), VnfProcess.SLOWPATH_MAIN, VnfProcess.LIST_VNF_TYPES));

        // Then no archive is made of its few classes: once its time is up, the next slowpath records instead
        List<String> next = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> archives.use(jar, VnfProcess.SLOWPATH_MAIN).options(), o -> !o.isEmpty());
        assertThat(next).singleElement().asString().startsWith("-XX:DumpLoadedClassList=");
        try (var files = Files.list(directory.resolve("archives"))) {
            assertThat(files.map(f -> f.getFileName().toString())).noneMatch(f -> f.endsWith(".jsa"));
        }
    }

    @Test
    void withoutADirectoryNoArchiveIsMadeOrUsed() {
        ClassDataArchives none = new ClassDataArchives(JAVA, Optional.empty(), Duration.ofSeconds(1), List.of());

        assertThat(none.use(jar, VnfProcess.SLOWPATH_MAIN).options()).isEmpty();
        assertThat(none.use(jar, VnfProcess.FASTPATH_MAIN).options()).isEmpty();
    }

    /** The options of the archive of {@code mainClass}, once it is made. */
    private List<String> awaitArchive(String mainClass) {
        return await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                .until(() -> archives.use(jar, mainClass).options(),
                        o -> o.size() == 1 && o.getFirst().startsWith("-XX:SharedArchiveFile="));
    }

    /** A slowpath that runs until the test ends, on free ports, with {@code options}. */
    private Process slowpath(List<String> options) throws IOException {
        FreePorts ports = new FreePorts("127.0.0.1");
        List<String> main = new ArrayList<>(List.of(VnfProcess.SLOWPATH_MAIN));
        main.addAll(VnfProcess.slowpathArgs("nat", "archive-test", ports.udp(), ports.tcp(), "127.0.0.1"));
        Process process = start(options, main.toArray(String[]::new));
        slowpaths.add(process);
        return process;
    }

    private Process start(List<String> options, String... mainAndArguments) throws IOException {
        return new ProcessBuilder(command(options, mainAndArguments)).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    private String run(List<String> options, String... mainAndArguments) throws Exception {
        Process process = new ProcessBuilder(command(options, mainAndArguments)).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }

    /** A VNF process's command line as the VIM's, with the JVM options the archive gives. */
    private List<String> command(List<String> options, String... mainAndArguments) {
        List<String> command = new ArrayList<>(List.of(JAVA.toString(), LocalCommands.NATIVE_ACCESS));
        command.addAll(options);
        command.addAll(List.of("-cp", jar.toString()));
        command.addAll(List.of(mainAndArguments));
        return command;
    }
}
