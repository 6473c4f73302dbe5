package io.isthmus.vim.config;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Everything the VIM reads from configuration, under {@code isthmus.vim}. */
@ConfigMapping(prefix = "isthmus.vim")
public interface VimConfig {

    /** The VIM's identity, returned as {@code vimId} by capacity checks (the NFVO puts it in grants). */
    @WithDefault("isthmus-vim")
    String id();

    /** The driver an allocation or a capacity check uses when it names none: {@code local} or {@code kubernetes}. */
    @WithDefault("local")
    String defaultDriver();

    /** Limits every tenant gets unless an operator set its own. */
    Quota quota();

    /** This host, where the local driver starts VNF components as OS processes. */
    Local local();

    /** The Kubernetes cluster, where the kubernetes driver runs VNF components as Deployments. */
    Kubernetes kubernetes();

    interface Quota {

        /** vCPUs a tenant may hold across all its allocations, by default. */
        @WithDefault("8")
        int defaultVcpus();

        /** Memory (MB) a tenant may hold across all its allocations, by default. */
        @WithDefault("16384")
        long defaultMemoryMb();
    }

    interface Local {

        /** vCPUs of this host the VIM may hand out. */
        @WithDefault("16")
        int vcpus();

        /** Memory (MB) of this host the VIM may hand out. */
        @WithDefault("32768")
        long memoryMb();

        /** The address VNF processes bind to and the one placements report. */
        @WithDefault("127.0.0.1")
        String host();

        /**
         * The address fastpaths receive VXLAN on and send it from, when it is not {@link #host()}: {@code 0.0.0.0}
         * lets tunnels from other network namespaces (the VPC lab, {@code ./nfv lab}) and hosts reach them. Their
         * placements still report {@code host}.
         */
        Optional<String> dataBind();

        /**
         * The VNF runtime jar (vnf-runtime's isthmus-vnf-runtime.jar) every VNF process runs from, whatever its type;
         * relative paths resolve against the working directory. The types it can run are those it lists.
         */
        String runtime();

        /** Where each VNF process writes its log, one file per process under a directory per allocation. */
        @WithDefault("${java.io.tmpdir}/isthmus-vim/vnf-logs")
        String logDir();

        /**
         * Whether VNF processes start from class-data sharing archives of the runtime that the VIM makes itself: the
         * first process of each kind records the classes it loads, the VIM dumps an archive from that list, and the
         * processes started after map those classes instead of loading them (their start takes about 40 % less).
         */
        @WithDefault("true")
        boolean classArchives();

        /** Where the VIM keeps those archives (one per kind of process and runtime jar); they outlive the VIM. */
        @WithDefault("${java.io.tmpdir}/isthmus-vim/class-archives")
        String classArchiveDir();

        /**
         * How long the first process of a kind records the classes it loads (its start and first configuration)
         * before the VIM makes the archive from them; if it exits before, the next process of its kind records.
         */
        @WithDefault("PT20S")
        Duration classArchiveAfter();

        /** How long a start may take until the slowpath reports every fastpath registered. */
        @WithDefault("PT30S")
        Duration startTimeout();

        /** How long a stopped process gets after SIGTERM before it is killed. */
        @WithDefault("PT5S")
        Duration stopGrace();
    }

    interface Kubernetes {

        /** Whether the kubernetes driver and its capacity pool exist. */
        @WithDefault("false")
        boolean enabled();

        /** The namespace VNF workloads go to; the client's namespace when unset. */
        Optional<String> namespace();

        /** The container image of the VNF runtime every VNF component runs from, whatever its type. */
        @WithDefault("isthmus/vnf-runtime:0.1.0")
        String image();

        /** Where the runtime jar sits inside those images. */
        @WithDefault("/opt/isthmus/vnf-runtime.jar")
        String runtimeJar();

        /** vCPUs of the cluster the VIM may hand out. */
        @WithDefault("64")
        int vcpus();

        /** Memory (MB) of the cluster the VIM may hand out. */
        @WithDefault("131072")
        long memoryMb();

        /** How long a start may take until every Deployment has all its replicas ready. */
        @WithDefault("PT2M")
        Duration readyTimeout();

        /** The slowpath's control port (UDP) inside its pod. */
        @WithDefault("7000")
        int controlPort();

        /** The slowpath's config port (TCP, HTTP) inside its pod. */
        @WithDefault("8080")
        int configPort();

        /** A fastpath's data port (UDP, VXLAN) inside its pod. */
        @WithDefault("4789")
        int dataPort();
    }
}
