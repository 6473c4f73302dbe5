package io.isthmus.vim.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
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

    protected ComponentPlacement() {
    }

    public ComponentPlacement(String componentName, String role, int replicaIndex, String host, Integer controlPort,
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
