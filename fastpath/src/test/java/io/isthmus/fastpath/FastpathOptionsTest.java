package io.isthmus.fastpath;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

import io.isthmus.fastpath.io.PacketIoKind;

class FastpathOptionsTest {

    @Test
    void parsesTheContractsCommandLine() {
        FastpathOptions options = FastpathOptions.parse("--id", "2", "--data-port", "41002", "--slowpath",
                "127.0.0.1:41000", "--bind", "127.0.0.1");

        assertThat(options.id()).isEqualTo(2);
        assertThat(options.dataPort()).isEqualTo(41002);
        assertThat(options.slowpath().getPort()).isEqualTo(41000);
        assertThat(options.bind().getHostAddress()).isEqualTo("127.0.0.1");
        assertThat(options.maxFlows()).isEqualTo(FastpathOptions.DEFAULT_MAX_FLOWS);
        assertThat(options.helloInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(options.workers()).isEqualTo(1);
        assertThat(options.io()).isEqualTo(PacketIoKind.preferred());
        assertThat(options.batch()).isEqualTo(32);
        assertThat(options.maxFlows()).isEqualTo(1_048_576);
    }

    @Test
    void parsesWorkersIoAndBatch() {
        FastpathOptions options = FastpathOptions.parse("--id", "3", "--data-port", "0", "--slowpath", "127.0.0.1:1",
                "--workers", "2", "--io", "channel", "--batch", "64");

        assertThat(options.workers()).isEqualTo(2);
        assertThat(options.io()).isEqualTo(PacketIoKind.CHANNEL);
        assertThat(options.batch()).isEqualTo(64);
        assertThat(FastpathOptions.parse("--id", "3", "--data-port", "0", "--slowpath", "127.0.0.1:1", "--io",
                "mmsg").io()).isEqualTo(PacketIoKind.MMSG);
    }

    @Test
    void refusesWorkerCountsBatchesAndIdsOutOfRange() {
        String[] required = {"--data-port", "0", "--slowpath", "127.0.0.1:1"};
        assertThatThrownBy(() -> parseWith(required, "--id", "1", "--workers", "0")).hasMessageContaining("1..64");
        assertThatThrownBy(() -> parseWith(required, "--id", "1", "--batch", "1025"))
                .hasMessageContaining("1..1024");
        assertThatThrownBy(() -> parseWith(required, "--id", "1", "--io", "xdp")).hasMessageContaining("mmsg");
        assertThatThrownBy(() -> parseWith(required, "--id", "16777216")).hasMessageContaining("0..16777215");
        assertThatThrownBy(() -> parseWith(required, "--id", "1", "--io", "mmsg", "--xdp-dev", "eth0", "--workers",
                "2")).hasMessageContaining("--xdp-dev needs --workers 1");
        assertThatThrownBy(() -> parseWith(required, "--id", "1", "--io", "mmsg", "--xdp-dev", "eth0", "--gso",
                "off")).hasMessageContaining("--gso on");
        assertThat(parseWith(required, "--id", "1", "--io", "mmsg", "--xdp-dev", "eth0").xdpDevice())
                .isEqualTo("eth0");
        assertThat(parseWith(required, "--id", "1").xdpDevice()).isNull();
    }

    private static FastpathOptions parseWith(String[] required, String... more) {
        String[] args = Arrays.copyOf(required, required.length + more.length);
        System.arraycopy(more, 0, args, required.length, more.length);
        return FastpathOptions.parse(args);
    }

    @Test
    void bindDefaultsToLoopbackAndTuningIsOptional() {
        FastpathOptions options = FastpathOptions.parse("--id", "1", "--data-port", "0", "--slowpath",
                "127.0.0.1:1", "--max-flows", "1000", "--punt-rate", "50", "--hello-interval-ms", "200");

        assertThat(options.bind().isLoopbackAddress()).isTrue();
        assertThat(options.maxFlows()).isEqualTo(1000);
        assertThat(options.puntRatePerSecond()).isEqualTo(50);
        assertThat(options.helloInterval()).isEqualTo(Duration.ofMillis(200));
    }

    @Test
    void refusesMissingOrUnknownOptions() {
        assertThatThrownBy(() -> FastpathOptions.parse("--id", "1")).hasMessageContaining("required");
        assertThatThrownBy(() -> FastpathOptions.parse("--id", "1", "--colour", "blue"))
                .hasMessageContaining("unknown option --colour");
        assertThatThrownBy(() -> FastpathOptions.parse("--id", "x")).hasMessageContaining("number");
        assertThatThrownBy(() -> FastpathOptions.parse("--data-port", "70000")).hasMessageContaining("0..65535");
        assertThatThrownBy(() -> FastpathOptions.parse("--id")).hasMessageContaining("missing value");
    }
}
