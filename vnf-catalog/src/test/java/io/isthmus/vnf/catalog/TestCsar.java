package io.isthmus.vnf.catalog;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Builds CSARs in memory for the tests: a valid package by default, and every way to spoil one. */
final class TestCsar {

    static final String TOSCA_META_PATH = "TOSCA-Metadata/TOSCA.meta";
    static final String VNFD_PATH = "Definitions/acme_fw_vnfd.yaml";
    static final String MANIFEST_PATH = "acme-fw.mf";
    static final String IMAGE_PATH = "Files/images/fw.qcow2";

    static final String TOSCA_META = """
            TOSCA-Meta-File-Version: 1.0
            CSAR-Version: 1.1
            Created-By: Acme
            Entry-Definitions: Definitions/acme_fw_vnfd.yaml
            ETSI-Entry-Manifest: acme-fw.mf
            """;

    static final String MANIFEST_METADATA = """
            metadata:
            vnf_provider_id: Acme
            vnf_product_name: acme-fw
            vnf_release_date_time: 2024-11-05T10:00:00+01:00
            vnf_package_version: 1.10.1
            compatible_specification_versions: 2.6.1, 3.3.1
            """;

    /** A VNFD with a derived VNF type, two VDUs, and instantiation levels for one of them. */
    static final String VNFD = """
            tosca_definitions_version: tosca_simple_yaml_1_3
            description: Acme firewall
            imports:
              - etsi_nfv_sol001_common_types.yaml
              - etsi_nfv_sol001_vnfd_types.yaml
            node_types:
              acme.nodes.Firewall:
                derived_from: tosca.nodes.nfv.VNF
            topology_template:
              node_templates:
                firewall:
                  type: acme.nodes.Firewall
                  metadata:
                    isthmus.vnf_type: firewall
                  properties:
                    descriptor_id: b1bb0ce7-ebca-4fa7-95ed-4840d70a1177
                    descriptor_version: 2.3
                    provider: Acme
                    product_name: acme-fw
                    software_version: 1.10
                    vnfm_info: [ "0:acme-vnfm", "etsivnfm:v2.3.1" ]
                    flavour_id: simple
                    flavour_description: Small firewall
                ctrl:
                  type: tosca.nodes.nfv.Vdu.Compute
                  metadata:
                    isthmus.vdu_role: slowpath
                  properties:
                    name: Controller
                    description: control plane
                    vdu_profile:
                      min_number_of_instances: 1
                      max_number_of_instances: 2
                  capabilities:
                    virtual_compute:
                      properties:
                        virtual_cpu:
                          num_virtual_cpu: 2
                        virtual_memory:
                          virtual_mem_size: 1 GB
                worker:
                  type: tosca.nodes.nfv.Vdu.Compute
                  metadata:
                    isthmus.vdu_role: fastpath
                  properties:
                    name: Worker
                    description: data plane
                    vdu_profile:
                      min_number_of_instances: 1
                      max_number_of_instances: 8
                  capabilities:
                    virtual_compute:
                      properties:
                        virtual_cpu:
                          num_virtual_cpu: 4
                        virtual_memory:
                          virtual_mem_size: 2048 MiB
              policies:
                - instantiation_levels:
                    type: tosca.policies.nfv.InstantiationLevels
                    properties:
                      levels:
                        small:
                          description: one worker
                        medium:
                          description: three workers
                      default_level: medium
                - worker_instantiation_levels:
                    type: tosca.policies.nfv.VduInstantiationLevels
                    properties:
                      levels:
                        small:
                          number_of_instances: 1
                        medium:
                          number_of_instances: 3
                    targets: [ worker ]
            """;

    static final byte[] IMAGE = "not really a qcow2 image".getBytes(UTF_8);

    private final Map<String, byte[]> files = new LinkedHashMap<>();
    private final Map<String, String> hashOverrides = new HashMap<>();
    private final Map<String, byte[]> afterManifest = new LinkedHashMap<>();
    private String manifestMetadata = MANIFEST_METADATA;
    private String manifestPath = MANIFEST_PATH;
    private String algorithm = "SHA-256";
    private String manifestTail = "";

    private TestCsar() {
        files.put(TOSCA_META_PATH, TOSCA_META.getBytes(UTF_8));
        files.put(VNFD_PATH, VNFD.getBytes(UTF_8));
        files.put(IMAGE_PATH, IMAGE);
    }

    /** A valid package; its manifest lists every file but TOSCA.meta and itself. */
    static TestCsar valid() {
        return new TestCsar();
    }

    /** Adds or replaces a file before the manifest is made (it is listed, with its digest). */
    TestCsar file(String path, String content) {
        files.put(path, content.getBytes(UTF_8));
        return this;
    }

    /** Replaces the VNFD's text. */
    TestCsar vnfd(String content) {
        return file(VNFD_PATH, content);
    }

    TestCsar without(String path) {
        files.remove(path);
        return this;
    }

    /** Where the manifest goes; null for no manifest at all. */
    TestCsar manifestAt(String path) {
        manifestPath = path;
        return this;
    }

    TestCsar manifestMetadata(String text) {
        manifestMetadata = text;
        return this;
    }

    /** Text appended to the manifest after the Source blocks. */
    TestCsar manifestTail(String text) {
        manifestTail = text;
        return this;
    }

    TestCsar algorithm(String jdkName) {
        algorithm = jdkName;
        return this;
    }

    TestCsar manifestHash(String path, String hash) {
        hashOverrides.put(path, hash);
        return this;
    }

    /** Adds or replaces a file after the manifest is made. */
    TestCsar tamper(String path, String content) {
        afterManifest.put(path, content.getBytes(UTF_8));
        return this;
    }

    /** Removes a file after the manifest is made. */
    TestCsar dropAfterManifest(String path) {
        afterManifest.put(path, null);
        return this;
    }

    byte[] build() {
        Map<String, byte[]> archive = new LinkedHashMap<>(files);
        if (manifestPath != null) {
            archive.put(manifestPath, manifest().getBytes(UTF_8));
        }
        afterManifest.forEach((path, content) -> {
            if (content == null) {
                archive.remove(path);
            } else {
                archive.put(path, content);
            }
        });
        return zip(archive);
    }

    private String manifest() {
        StringBuilder manifest = new StringBuilder(manifestMetadata);
        files.forEach((path, content) -> {
            if (!path.equals(TOSCA_META_PATH)) {
                manifest.append("\nSource: ")
                        .append(path)
                        .append("\nAlgorithm: ")
                        .append(algorithm)
                        .append("\nHash: ")
                        .append(hashOverrides.getOrDefault(path, Checksum.of(algorithm, content).hash()))
                        .append('\n');
            }
        });
        return manifest.append(manifestTail).toString();
    }

    static byte[] zip(Map<String, byte[]> files) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes, UTF_8)) {
            for (Map.Entry<String, byte[]> file : files.entrySet()) {
                zip.putNextEntry(new ZipEntry(file.getKey()));
                zip.write(file.getValue());
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static Map<String, byte[]> files(String... pathsAndTexts) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (int i = 0; i < pathsAndTexts.length; i += 2) {
            files.put(pathsAndTexts[i], pathsAndTexts[i + 1].getBytes(UTF_8));
        }
        return files;
    }
}
