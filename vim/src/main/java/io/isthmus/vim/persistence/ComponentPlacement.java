package io.isthmus.vim.persistence;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** Where one replica of a component runs: a local process (pid, ports) or a Kubernetes workload (resource name). */
@Entity
@Table(name = "component_placement")
public class ComponentPlacement {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "component_name", nullable = false)
    private String componentName;

    @Column(nullable = false)
    private String role;

    @Column(name = "replica_index", nullable = false)
    private int replicaIndex;

    @Column(nullable = false)
    private String host;

    @Column(name = "control_port")
    private Integer controlPort;

    @Column(name = "config_port")
    private Integer configPort;

    @Column(name = "data_port")
    private Integer dataPort;

    private Long pid;

    @Column(name = "resource_name")
    private String resourceName;

    @Column(name = "fastpath_id")
    private Integer fastpathId;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private ReplicaStatus status;

    @Column(name = "status_reason")
    private String statusReason;

    @Column(name = "status_at", nullable = false)
    private Instant statusAt;

    protected ComponentPlacement() {
    }

    /** A replica that runs from {@code now} on. */
    public ComponentPlacement(String componentName, String role, int replicaIndex, String host, Integer controlPort,
            Integer configPort, Integer dataPort, Long pid, String resourceName, Integer fastpathId, Instant now) {
        this(componentName, role, replicaIndex, host, controlPort, configPort, dataPort, pid, resourceName);
        this.fastpathId = fastpathId;
        this.status = ReplicaStatus.RUNNING;
        this.statusReason = "started";
        this.statusAt = now;
    }

    private ComponentPlacement(String componentName, String role, int replicaIndex, String host, Integer controlPort,
            Integer configPort, Integer dataPort, Long pid, String resourceName) {
        this.componentName = componentName;
        this.role = role;
        this.replicaIndex = replicaIndex;
        this.host = host;
        this.controlPort = controlPort;
        this.configPort = configPort;
        this.dataPort = dataPort;
        this.pid = pid;
        this.resourceName = resourceName;
    }

    /**
     * The one place a replica's status changes; a move to the status it has only updates the reason when the reason
     * is new. Refuses what the table does not allow.
     */
    public void mark(ReplicaStatus to, String reason, Instant now) {
        if (to == status) {
            return;
        }
        if (!status.canMoveTo(to)) {
            throw new IllegalStateException("Replica " + componentName + "-" + replicaIndex + " is " + status
                    + " and cannot become " + to);
        }
        this.status = to;
        this.statusReason = reason;
        this.statusAt = now;
    }

    /** The replica runs again, as a new process (or pod) on these ports: RUNNING whatever it was. */
    public void relaunched(String host, Integer controlPort, Integer configPort, Integer dataPort, Long pid,
            String resourceName, String reason, Instant now) {
        this.host = host;
        this.controlPort = controlPort;
        this.configPort = configPort;
        this.dataPort = dataPort;
        this.pid = pid;
        this.resourceName = resourceName;
        this.status = ReplicaStatus.RUNNING;
        this.statusReason = reason;
        this.statusAt = now;
    }

    /** {@code <component>-<index>}, as operate names replicas. */
    public String replicaName() {
        return componentName + "-" + replicaIndex;
    }

    public Integer fastpathId() {
        return fastpathId;
    }

    public ReplicaStatus status() {
        return status;
    }

    public String statusReason() {
        return statusReason;
    }

    public Instant statusAt() {
        return statusAt;
    }

    public String componentName() {
        return componentName;
    }

    public String role() {
        return role;
    }

    public int replicaIndex() {
        return replicaIndex;
    }

    public String host() {
        return host;
    }

    public Integer controlPort() {
        return controlPort;
    }

    public Integer configPort() {
        return configPort;
    }

    public Integer dataPort() {
        return dataPort;
    }

    public Long pid() {
        return pid;
    }

    public String resourceName() {
        return resourceName;
    }
}
