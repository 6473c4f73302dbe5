package io.isthmus.nfvo.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * The service-chain constructs of an NSD (SOL001 NsVirtualLink, NFP, NfpPosition, NfpPositionElement, VNFFG), checked
 * when it is uploaded: a good chain is read in order; a dangling link, a cycle, an unknown element, a path through
 * elements nothing joins are refused with the reason.
 */
class NsdChainsTest {

    /** VPC → lb → (link lb-nat) → nat → internet, with an NFP along it and a VNFFG grouping it. */
    static final String CHAIN = """
            tosca_definitions_version: tosca_simple_yaml_1_3
            topology_template:
              node_templates:
                ns:
                  type: tosca.nodes.nfv.NS
                  properties: {descriptor_id: chain, designer: acme, version: '1.0', name: chain, invariant_id: chain}
                lb:
                  type: isthmus.nodes.nfv.Slb
                  properties: {descriptor_id: isthmus-slb-1.0}
                  requirements: [ {vpc: vpc}, {backends: lb-nat} ]
                nat:
                  type: isthmus.nodes.nfv.Nat
                  properties: {descriptor_id: isthmus-nat-1.0}
                  requirements: [ {inside: lb-nat}, {outside: internet} ]
                lb-nat: {type: tosca.nodes.nfv.NsVirtualLink}
                vpc: {type: tosca.nodes.nfv.Sap}
                internet: {type: tosca.nodes.nfv.Sap}
                path: {type: tosca.nodes.nfv.NFP, requirements: [ {nfp_position: p1}, {nfp_position: p2}, {nfp_position: p3}, {nfp_position: p4} ]}
                p1: {type: tosca.nodes.nfv.NfpPosition, requirements: [ {element: e1} ]}
                p2: {type: tosca.nodes.nfv.NfpPosition, requirements: [ {element: e2} ]}
                p3: {type: tosca.nodes.nfv.NfpPosition, requirements: [ {element: e3} ]}
                p4: {type: tosca.nodes.nfv.NfpPosition, requirements: [ {element: e4} ]}
                e1: {type: tosca.nodes.nfv.NfpPositionElement, requirements: [ {profile_element: vpc} ]}
                e2: {type: tosca.nodes.nfv.NfpPositionElement, requirements: [ {profile_element: lb} ]}
                e3: {type: tosca.nodes.nfv.NfpPositionElement, requirements: [ {profile_element: {node: nat}} ]}
                e4: {type: tosca.nodes.nfv.NfpPositionElement, requirements: [ {profile_element: internet} ]}
              groups:
                graph: {type: tosca.groups.nfv.VNFFG, members: [ path, lb, nat, lb-nat ]}
            """;

    @Test
    void aChainIsReadWithItsLinkAndItsPathInOrder() {
        NsdParser.Nsd nsd = NsdParser.parse(CHAIN);

        assertThat(nsd.virtualLinks()).containsExactly("lb-nat");
        assertThat(nsd.attachments()).containsEntry("nat", Map.of("inside", "lb-nat", "outside", "internet"));
        assertThat(nsd.forwardingPaths()).containsExactly(Map.entry("path", List.of("vpc", "lb", "nat", "internet")));
        assertThat(nsd.chainsVnfs()).isTrue();
        assertThat(NsdParser.parse(NextHopsNsd.BETWEEN_SAPS).chainsVnfs()).isFalse();
    }

    @Test
    void aLinkOnlyOneVnfAttachesToIsDangling() {
        String nsd = CHAIN.replace("{inside: lb-nat}", "{inside: vpc}");

        assertThatThrownBy(() -> NsdParser.parse(nsd)).isInstanceOf(InvalidPackageContentException.class)
                .hasMessageContaining("Virtual link lb-nat is dangling").hasMessageContaining("only VNF profile [lb]");
    }

    @Test
    void linksThatFormACycleAreRefused() {
        // a second link between the same two VNFs: a packet could go round
        String nsd = CHAIN.replace("requirements: [ {vpc: vpc}, {backends: lb-nat} ]",
                "requirements: [ {vpc: vpc}, {backends: lb-nat}, {spare: again} ]")
                .replace("requirements: [ {inside: lb-nat}, {outside: internet} ]",
                        "requirements: [ {inside: lb-nat}, {outside: internet}, {spare: again} ]")
                .replace("lb-nat: {type: tosca.nodes.nfv.NsVirtualLink}",
                        "lb-nat: {type: tosca.nodes.nfv.NsVirtualLink}\n    again: {type: tosca.nodes.nfv.NsVirtualLink}");

        assertThatThrownBy(() -> NsdParser.parse(nsd)).isInstanceOf(InvalidPackageContentException.class)
                .hasMessageContaining("The virtual links form a cycle").hasMessageContaining("again");
    }

    @Test
    void aPathThatVisitsAnElementTwiceOrNamesAnUnknownOneOrJumpsIsRefused() {
        assertThatThrownBy(() -> NsdParser.parse(CHAIN.replace("{profile_element: internet}", "{profile_element: lb}")))
                .hasMessageContaining("NFP path visits lb twice");
        assertThatThrownBy(() -> NsdParser.parse(CHAIN.replace("{profile_element: internet}",
                "{profile_element: nowhere}"))).hasMessageContaining("names nowhere, which is no VNF profile or SAP");
        assertThatThrownBy(() -> NsdParser.parse(CHAIN.replace("{element: e2}", "{element: e9}")))
                .hasMessageContaining("NfpPosition p2 names e9, which is no tosca.nodes.nfv.NfpPositionElement");
        // vpc straight to nat: nothing joins them
        assertThatThrownBy(() -> NsdParser.parse(CHAIN.replace("{profile_element: lb}", "{profile_element: nat}")
                .replace("{profile_element: {node: nat}}", "{profile_element: lb}")))
                .hasMessageContaining("NFP path goes from vpc to nat, which nothing joins");
    }

    @Test
    void aVnfAttachedToANodeThatIsNeitherASapNorALinkAndAGroupWithAnUnknownMemberAreRefused() {
        assertThatThrownBy(() -> NsdParser.parse(CHAIN.replace("{backends: lb-nat}", "{backends: nat}")))
                .hasMessageContaining("which is no tosca.nodes.nfv.Sap or tosca.nodes.nfv.NsVirtualLink node");
        assertThatThrownBy(() -> NsdParser.parse(CHAIN.replace("members: [ path, lb, nat, lb-nat ]",
                "members: [ path, lb, nat, ghost ]"))).hasMessageContaining("VNFFG graph has member ghost");
    }

    /** An NSD without chains: a NAT between two SAPs. */
    static final class NextHopsNsd {
        static final String BETWEEN_SAPS = """
                topology_template:
                  node_templates:
                    ns:
                      type: tosca.nodes.nfv.NS
                      properties: {descriptor_id: nat, designer: acme, version: '1.0', name: NAT, invariant_id: nat}
                    nat:
                      type: isthmus.nodes.nfv.Nat
                      properties: {descriptor_id: isthmus-nat-1.0}
                      requirements: [ {inside: vpc}, {outside: internet} ]
                    vpc: {type: tosca.nodes.nfv.Sap}
                    internet: {type: tosca.nodes.nfv.Sap}
                """;
    }
}
