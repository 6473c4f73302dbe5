package io.isthmus.vnf.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import io.isthmus.slowpath.policy.VnfPolicies;

/**
 * A VNF type is a plug-in: its module and the one line of this module's pom that adds it to the runtime are all of it.
 * The platform's services, scripts and Helm chart name no VNF type, so adding one changes nothing there.
 */
class VnfTypeBoundaryTest {

    /** What must stay free of VNF types: the services' main code and configuration, the scripts, the chart. */
    private static final List<String> GENERIC = List.of("nfvo/src/main", "vnfm/src/main", "vim/src/main", "scripts",
            "helm", "nfv");

    private static final Path REPOSITORY = Path.of(System.getProperty("isthmus.repository", "..")).toAbsolutePath()
            .normalize();

    @Test
    void theRuntimeCarriesEveryVnfTypeOfThePlatform() {
        assertThat(VnfPolicies.types()).contains("nat", "mirror", "slb", "vpn", "cen");
    }

    @Test
    void noServiceScriptOrChartNamesAVnfType() throws IOException {
        // Given every VNF type the runtime carries
        List<String> types = VnfPolicies.types();
        Pattern named = Pattern.compile("(?i)(?<![a-z0-9])(" + String.join("|", types) + ")(?![a-z0-9])");

        // When the generic parts of the platform are searched for them
        List<String> found = new ArrayList<>();
        for (String place : GENERIC) {
            Path root = REPOSITORY.resolve(place);
            assertThat(root).exists();
            try (Stream<Path> files = Files.walk(root)) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    List<String> lines = lines(file);
                    for (int i = 0; i < lines.size(); i++) {
                        Matcher m = named.matcher(lines.get(i));
                        if (m.find()) {
                            found.add(REPOSITORY.relativize(file) + ":" + (i + 1) + ": " + lines.get(i).strip());
                        }
                    }
                }
            }
        }

        // Then none is named
        assertThat(found).as("VNF types %s named outside their modules", types).isEmpty();
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (MalformedInputException binary) {
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
