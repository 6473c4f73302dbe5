package io.isthmus.vnfm.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** How a slowpath's {@code /stats} becomes VNF indicator ids and values (docs/contracts.md "VNF indicators"). */
class StatsIndicatorsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, Object> DATAPLANE_IDLE = Map.of("dataplane.packets", 0L, "dataplane.bytes", 0L,
            "dataplane.drops", 0L);

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text.replace('\'', '"'));
    }

    @Test
    void leavesOfIndicatorsAndCountersBecomeDottedIds() throws Exception {
        // Given stats with indicators of every shape, counters, and what is no indicator
        JsonNode stats = json("{'punts':7,'fastpaths':[{'id':0,'packets':9}],"
                + "'indicators':{'bindings':3,'health':'up','ready':true,'ratio':0.5,'none':null,'empty':{},"
                + "'drops':{'noBinding':2},'publicAddresses':[{'address':'203.0.113.10','portsInUse':5}],"
                + "'samples':[4,5]},"
                + "'counters':{'inside':{'packets':10,'bytes':1500}}}");

        // When flattened / Then every number, string and boolean leaf is one, by its path, nothing else
        assertThat(StatsIndicators.of(stats)).containsExactly(entry("dataplane.packets", 9L),
                entry("dataplane.bytes", 0L), entry("dataplane.drops", 0L), entry("bindings", 3), entry("health", "up"),
                entry("ready", true), entry("ratio", 0.5), entry("drops.noBinding", 2),
                entry("publicAddresses.203_0_113_10.portsInUse", 5), entry("samples.0", 4), entry("samples.1", 5),
                entry("counters.inside.packets", 10), entry("counters.inside.bytes", 1500));
    }

    @Test
    void anArraysElementsAreNamedByNameAddressOrIdWhenEveryOneHasItsOwn() throws Exception {
        JsonNode stats = json("{'indicators':{"
                + "'links':[{'name':'up/1','id':7,'state':'up'},{'name':'down','id':8,'state':'down'}],"
                + "'shared':[{'name':'a','load':1},{'name':'a','load':2}],"
                + "'partly':[{'id':1,'load':1},{'load':2}]}}");

        assertThat(StatsIndicators.of(stats)).containsExactly(entry("dataplane.packets", 0L),
                entry("dataplane.bytes", 0L), entry("dataplane.drops", 0L), entry("links.up_1.id", 7),
                entry("links.up_1.state", "up"), entry("links.down.id", 8), entry("links.down.state", "down"),
                entry("shared.0.name", "a"), entry("shared.0.load", 1), entry("shared.1.name", "a"),
                entry("shared.1.load", 2), entry("partly.0.id", 1), entry("partly.0.load", 1),
                entry("partly.1.load", 2));
    }

    @Test
    void everySlowpathHasItsDataPlanesPacketsBytesAndDropsSummedOverItsFastpaths() throws Exception {
        // Given a slowpath of any type that knows two fastpaths, one of them stale (its last known counts)
        JsonNode stats = json("{'fastpaths':[{'id':0,'packets':10,'bytes':1500,'drops':1,'hits':8},"
                + "{'id':1,'packets':5,'bytes':700,'drops':2,'stale':true}],"
                + "'indicators':{'dataplane':{'packets':99},'flows':3}}");

        // When its indicators are read / Then the data plane's are the sums, and no type's own indicator shadows them
        assertThat(StatsIndicators.of(stats)).containsExactly(entry("dataplane.packets", 15L),
                entry("dataplane.bytes", 2200L), entry("dataplane.drops", 3L), entry("flows", 3));
    }

    @Test
    void aSlowpathWithoutFastpathsOrIndicatorsHasOnlyItsIdleDataPlane() throws Exception {
        assertThat(StatsIndicators.of(json("{'fastpaths':[]}"))).isEqualTo(DATAPLANE_IDLE);
        assertThat(StatsIndicators.of(json("{'indicators':5,'counters':[]}"))).isEqualTo(DATAPLANE_IDLE);
    }

    @Test
    void ofTwoLeavesWithOneIdTheFirstIsKept() throws Exception {
        assertThat(StatsIndicators.of(json("{'indicators':{'a.b':1,'a':{'b':2},'a b':3}}")))
                .containsExactly(entry("dataplane.packets", 0L), entry("dataplane.bytes", 0L),
                        entry("dataplane.drops", 0L), entry("a_b", 1), entry("a.b", 2));
    }
}
