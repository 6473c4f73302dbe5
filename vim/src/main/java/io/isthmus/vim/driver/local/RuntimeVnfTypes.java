package io.isthmus.vim.driver.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import io.isthmus.vim.driver.DriverException;
import io.isthmus.vnf.process.VnfProcess;

/**
 * The VNF types a runtime jar can run, as it lists them itself ({@code SlowpathMain --list-vnf-types}, the VNF process
 * contract): the VIM names no VNF type. Asked once per version of the jar (its modification time), since a JVM start
 * costs about half a second.
 */
final class RuntimeVnfTypes {

    private static final long TIMEOUT_SECONDS = 30;

    private final Path java;
    private Path listedJar;
    private FileTime listedVersion;
    private Set<String> listed = Set.of();

    RuntimeVnfTypes(Path java) {
        this.java = java;
    }

    synchronized Set<String> of(Path jar) {
        FileTime version;
        try {
            version = Files.getLastModifiedTime(jar);
        } catch (IOException e) {
            throw new DriverException("The VNF runtime jar is unreadable: " + jar + ": " + e.getMessage(), e);
        }
        if (!jar.equals(listedJar) || !version.equals(listedVersion)) {
            listed = list(jar);
            listedJar = jar;
            listedVersion = version;
        }
        return listed;
    }

    private Set<String> list(Path jar) {
        try {
            Process process = new ProcessBuilder(List.of(java.toString(), "-cp", jar.toString(),
                    VnfProcess.SLOWPATH_MAIN, VnfProcess.LIST_VNF_TYPES)).redirectErrorStream(true).start();
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new DriverException("The VNF runtime " + jar + " did not list its VNF types: " + output.strip());
            }
            return Set.copyOf(output.lines().map(String::strip).filter(l -> !l.isEmpty()).toList());
        } catch (IOException e) {
            throw new DriverException("Cannot run the VNF runtime " + jar + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DriverException("Interrupted while asking the VNF runtime for its types");
        }
    }
}
