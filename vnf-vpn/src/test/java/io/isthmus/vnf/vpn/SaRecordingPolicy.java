package io.isthmus.vnf.vpn;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.JsonNode;

import io.isthmus.control.FlowKey;
import io.isthmus.control.FlowTimeouts;
import io.isthmus.control.Rule;
import io.isthmus.control.SaCounters;
import io.isthmus.control.SecurityAssociation;
import io.isthmus.slowpath.policy.Decision;
import io.isthmus.slowpath.policy.Expiry;
import io.isthmus.slowpath.policy.HealthCheck;
import io.isthmus.slowpath.policy.Install;
import io.isthmus.slowpath.policy.InvalidConfigException;
import io.isthmus.slowpath.policy.Miss;
import io.isthmus.slowpath.policy.Reconfiguration;
import io.isthmus.slowpath.policy.SecurityAssociationInstall;
import io.isthmus.slowpath.policy.VnfPolicy;

/**
 * A policy that does what the one it wraps does and keeps the SAs it installs: a test holding them can seal ESP as
 * the peer would (or as someone holding the peer's keys would).
 */
final class SaRecordingPolicy implements VnfPolicy {

    private final VnfPolicy policy;
    private final List<SecurityAssociation> installed = new CopyOnWriteArrayList<>();

    SaRecordingPolicy(VnfPolicy policy) {
        this.policy = policy;
    }

    /** The SAs installed so far, oldest first. */
    List<SecurityAssociation> installed() {
        return List.copyOf(installed);
    }

    private Reconfiguration record(Reconfiguration reconfiguration) {
        record(reconfiguration.installs());
        return reconfiguration;
    }

    private Decision record(Decision decision) {
        record(decision.installs());
        return decision;
    }

    private void record(List<Install> installs) {
        for (Install install : installs) {
            if (install instanceof SecurityAssociationInstall(SecurityAssociation sa)) {
                installed.add(sa);
            }
        }
    }

    @Override
    public String vnfType() {
        return policy.vnfType();
    }

    @Override
    public boolean configure(JsonNode config) throws InvalidConfigException {
        return policy.configure(config);
    }

    @Override
    public Reconfiguration reconfigure(JsonNode config) throws InvalidConfigException {
        return record(policy.reconfigure(config));
    }

    @Override
    public JsonNode snapshotState() {
        return policy.snapshotState();
    }

    @Override
    public Reconfiguration restore(JsonNode config, JsonNode state) throws InvalidConfigException {
        return record(policy.restore(config, state));
    }

    @Override
    public Decision onMiss(Miss miss) {
        return record(policy.onMiss(miss));
    }

    @Override
    public Decision onTtlExceeded(Miss miss) {
        return record(policy.onTtlExceeded(miss));
    }

    @Override
    public Optional<FlowTimeouts> flowTimeouts() {
        return policy.flowTimeouts();
    }

    @Override
    public boolean learnsRules() {
        return policy.learnsRules();
    }

    @Override
    public boolean learn(Rule rule) {
        return policy.learn(rule);
    }

    @Override
    public Reconfiguration onFastpathJoined(int fastpathId) {
        return record(policy.onFastpathJoined(fastpathId));
    }

    @Override
    public Map<String, Object> indicators() {
        return policy.indicators();
    }

    @Override
    public Map<Integer, String> counterGroups() {
        return policy.counterGroups();
    }

    @Override
    public Expiry onFlowExpired(FlowKey key) {
        return policy.onFlowExpired(key);
    }

    @Override
    public List<HealthCheck> healthChecks() {
        return policy.healthChecks();
    }

    @Override
    public Reconfiguration onHealthChanged(String checkId, boolean healthy) {
        return record(policy.onHealthChanged(checkId, healthy));
    }

    @Override
    public long nextTimerMillis() {
        return policy.nextTimerMillis();
    }

    @Override
    public Reconfiguration onTimer(long nowMillis) {
        return record(policy.onTimer(nowMillis));
    }

    @Override
    public void onSecurityAssociationCounters(Map<Integer, SaCounters> bySlot) {
        policy.onSecurityAssociationCounters(bySlot);
    }
}
