package io.isthmus.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Real programs the lab tests run, each bounded: a command that does not end in time fails the test. */
final class Commands {

    static final Duration BOUND = Duration.ofSeconds(60);

    private Commands() {
    }

    record Result(int exit, String output) {
    }

    /** {@code command} in network namespace {@code namespace}. */
    static Result inNamespace(String namespace, String... command) {
        return run(Map.of(), namespace(namespace, command).toArray(String[]::new));
    }

    /** {@code command} in network namespace {@code namespace}, as {@code ip netns exec} arguments. */
    static List<String> namespace(String namespace, String... command) {
        List<String> all = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        all.addAll(List.of(command));
        return all;
    }

    /** {@code ./nfv} of this repository, pointed at {@code platform}, its work directory (and lab) {@code runDir}. */
    static Result nfv(Platform platform, Path runDir, String... args) {
        List<String> all = new ArrayList<>(List.of(platform.root.resolve("nfv").toString()));
        all.addAll(List.of(args));
        return run(Map.of("ISTHMUS_NFVO_URL", platform.url("nfvo"), "ISTHMUS_VNFM_URL", platform.url("vnfm"),
                "ISTHMUS_OIDC_URL", Platform.OIDC_URL, "ISTHMUS_RUN_DIR", runDir.toString()),
                all.toArray(String[]::new));
    }

    static Result run(String... command) {
        return run(Map.of(), command);
    }

    /** Runs {@code command} to its end within {@link #BOUND}, stdin from /dev/null, stdout and stderr together. */
    static Result run(Map<String, String> env, String... command) {
        try {
            Path output = Files.createTempFile("lab-command", ".out");
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(output.toFile()).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null")
                            .toFile()));
            pb.environment().putAll(env);
            Process process = pb.start();
            boolean ended = process.waitFor(BOUND.toSeconds(), TimeUnit.SECONDS);
            if (!ended) {
                process.destroyForcibly();
            }
            String text = Files.readString(output, StandardCharsets.UTF_8);
            Files.delete(output);
            if (!ended) {
                throw new AssertionError(String.join(" ", command) + " did not end within " + BOUND + ":\n" + text);
            }
            return new Result(process.exitValue(), text);
        } catch (IOException e) {
            throw new AssertionError("could not run " + String.join(" ", command) + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
