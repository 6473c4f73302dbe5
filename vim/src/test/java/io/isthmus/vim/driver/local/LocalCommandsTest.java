package io.isthmus.vim.driver.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.isthmus.vim.driver.ComponentPlan;

class LocalCommandsTest {

    private static final Path JAVA = Path.of("/jdk/bin/java");
    private static final Path JAR = Path.of("/repo/vnf-runtime/target/isthmus-vnf-runtime.jar");

    @Test
    void slowpathRunsWithItsControlAndConfigPortsAsTheContractSays() {
        var command = LocalCommands.slowpath(JAVA, JAR, List.of(), new ComponentPlan("slowpath", "slowpath", 1, 2, 512),
                "nat",
                "vnf-1", "127.0.0.1", 40100, 40200);

        assertThat(command.getFirst()).isEqualTo("/jdk/bin/java");
        assertThat(command).contains("-XX:ActiveProcessorCount=2", "-Xmx384m");
        assertThat(command).containsSubsequence("-cp", JAR.toString(), "io.isthmus.slowpath.SlowpathMain",
                "--vnf-type", "nat", "--instance-id", "vnf-1", "--control-port", "40100", "--config-port", "40200",
                "--bind", "127.0.0.1");
    }

    @Test
    void fastpathRunsWithItsDataPortPointedAtTheSlowpath() {
        var command = LocalCommands.fastpath(JAVA, JAR, List.of(), new ComponentPlan("fastpath", "fastpath", 2, 1, 256),
                1,
                "127.0.0.1", "127.0.0.1", 40300, 40100);

        assertThat(command).containsSubsequence("-cp", JAR.toString(), "io.isthmus.fastpath.FastpathMain",
                "--id", "1", "--data-port", "40300", "--slowpath", "127.0.0.1:40100", "--bind", "127.0.0.1");
    }

    @Test
    void aFastpathMayReceiveVxlanOnEveryAddressWhileItsSlowpathStaysOnTheHost() {
        var command = LocalCommands.fastpath(JAVA, JAR, List.of(), new ComponentPlan("fastpath", "fastpath", 2, 1, 256),
                1,
                "127.0.0.1", "0.0.0.0", 40300, 40100);

        assertThat(command).containsSubsequence("--slowpath", "127.0.0.1:40100", "--bind", "0.0.0.0");
    }

    @Test
    void aProcessStartsWithTheRuntimesClassDataArchiveOptionsAmongItsJvmOptions() {
        var command = LocalCommands.fastpath(JAVA, JAR, List.of("-XX:SharedArchiveFile=/run/fastpath-1.jsa"),
                new ComponentPlan("fastpath", "fastpath", 2, 1, 256), 1, "127.0.0.1", "127.0.0.1", 40300, 40100);

        assertThat(command).containsSubsequence("--enable-native-access=ALL-UNNAMED",
                "-XX:SharedArchiveFile=/run/fastpath-1.jsa", "-cp", JAR.toString(),
                "io.isthmus.fastpath.FastpathMain");
    }
}
