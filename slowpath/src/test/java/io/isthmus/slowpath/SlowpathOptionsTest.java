package io.isthmus.slowpath;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.isthmus.slowpath.control.RouteDistributor;

class SlowpathOptionsTest {

    @Test
    void parsesTheContractsCommandLine() {
        SlowpathOptions options = SlowpathOptions.parse("--vnf-type", "nat", "--instance-id", "vnf-1",
                "--control-port", "41000", "--config-port", "41001", "--bind", "127.0.0.1");

        assertThat(options.vnfType()).isEqualTo("nat");
        assertThat(options.instanceId()).isEqualTo("vnf-1");
        assertThat(options.controlPort()).isEqualTo(41000);
        assertThat(options.configPort()).isEqualTo(41001);
        assertThat(options.bind().isLoopbackAddress()).isTrue();
        assertThat(options.puntQueueBytes()).isEqualTo(SlowpathOptions.DEFAULT_PUNT_QUEUE_BYTES);
    }

    @Test
    void thePuntQueueSizeIsGivenInKibibytesWithinBounds() {
        SlowpathOptions options = SlowpathOptions.parse("--vnf-type", "nat", "--instance-id", "vnf-1",
                "--control-port", "0", "--config-port", "0", "--punt-queue-kib", "64");

        assertThat(options.puntQueueBytes()).isEqualTo(64 * 1024);
        assertThatThrownBy(() -> SlowpathOptions.parse("--vnf-type", "nat", "--instance-id", "vnf-1",
                "--control-port", "0", "--config-port", "0", "--punt-queue-kib", "1"))
                .hasMessageContaining("--punt-queue-kib must be in 16..");
    }

    @Test
    void theRouteTablesDistributionHasDefaultsAndCanBeTuned() {
        SlowpathOptions defaults = SlowpathOptions.parse("--vnf-type", "cen", "--instance-id", "vnf-1",
                "--control-port", "0", "--config-port", "0");
        SlowpathOptions tuned = SlowpathOptions.parse("--vnf-type", "cen", "--instance-id", "vnf-1",
                "--control-port", "0", "--config-port", "0", "--route-live-timeout-ms", "250", "--route-log-mib", "8",
                "--route-window", "64");

        assertThat(defaults.routeLiveTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(defaults.routeLogBytes()).isEqualTo(RouteDistributor.DEFAULT_LOG_BYTES);
        assertThat(defaults.routeWindow()).isEqualTo(RouteDistributor.DEFAULT_WINDOW);
        assertThat(tuned.routeLiveTimeout()).isEqualTo(Duration.ofMillis(250));
        assertThat(tuned.routeLogBytes()).isEqualTo(8L << 20);
        assertThat(tuned.routeWindow()).isEqualTo(64);
        assertThatThrownBy(() -> SlowpathOptions.parse("--vnf-type", "cen", "--instance-id", "vnf-1",
                "--control-port", "0", "--config-port", "0", "--route-window", "0"))
                .hasMessageContaining("--route-window must be in 1..");
    }

    @Test
    void refusesMissingOrUnknownOptions() {
        assertThatThrownBy(() -> SlowpathOptions.parse("--vnf-type", "nat")).hasMessageContaining("required");
        assertThatThrownBy(() -> SlowpathOptions.parse("--verbose", "yes")).hasMessageContaining("unknown option");
        assertThatThrownBy(() -> SlowpathOptions.parse("--control-port", "-1")).hasMessageContaining("0..65535");
    }
}
