package io.isthmus.vim.driver.local;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.isthmus.vim.driver.ComponentPlan;
import io.isthmus.vnf.process.VnfProcess;

/** The command lines of VNF processes, exactly as the VNF process contract (docs/contracts.md) gives them. */
final class LocalCommands {

    private LocalCommands() {
    }

    /** @param archive JVM options of the runtime's class-data archive ({@link ClassDataArchives}), maybe none */
    static List<String> slowpath(Path java, Path jar, List<String> archive, ComponentPlan component, String vnfType,
            String instanceId, String bind, int controlPort, int configPort) {
        List<String> command = new ArrayList<>(List.of(java.toString(), cpus(component), heap(component),
                NATIVE_ACCESS));
        command.addAll(archive);
        command.addAll(List.of("-cp", jar.toString(), VnfProcess.SLOWPATH_MAIN));
        command.addAll(VnfProcess.slowpathArgs(vnfType, instanceId, controlPort, configPort, bind));
        return List.copyOf(command);
    }

    /**
     * @param archive JVM options of the runtime's class-data archive ({@link ClassDataArchives}), maybe none
     * @param host the address the slowpath listens on
     * @param dataBind the address the fastpath receives VXLAN on (and sends from): {@code host}, or {@code 0.0.0.0}
     *        for tunnels from other hosts and network namespaces
     */
    static List<String> fastpath(Path java, Path jar, List<String> archive, ComponentPlan component, int id,
            String host, String dataBind, int dataPort, int slowpathControlPort) {
        List<String> command = new ArrayList<>(List.of(java.toString(), cpus(component), heap(component),
                NATIVE_ACCESS));
        command.addAll(archive);
        command.addAll(List.of("-cp", jar.toString(), VnfProcess.FASTPATH_MAIN, VnfProcess.ID, Integer.toString(id)));
        command.addAll(VnfProcess.fastpathArgs(dataPort, host + ":" + slowpathControlPort, dataBind));
        return List.copyOf(command);
    }

    /** The JVM sizes its thread pools to the vCPUs the component was given, not to the whole host. */
    private static String cpus(ComponentPlan component) {
        return "-XX:ActiveProcessorCount=" + component.vcpus();
    }

    /**
     * The JVM's heap is three quarters of the memory the component was given (the rest for the JVM itself and the
     * fastpath's off-heap tables); a component given too little memory for a JVM fails to start, and says so.
     */
    private static String heap(ComponentPlan component) {
        return "-Xmx" + (component.memoryMb() * 3L / 4) + "m";
    }

    /**
     * The fastpath may batch its system calls through the FFM API. A class-data archive records this module option and
     * is dumped with it ({@link ClassDataArchives}).
     */
    static final String NATIVE_ACCESS = "--enable-native-access=ALL-UNNAMED";
}
