package io.isthmus.vnfm.service;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.isthmus.vnfm.integration.VnfDescriptor;
import io.isthmus.vnfm.persistence.VnfInstanceEntity;
import io.isthmus.vnfm.persistence.VnfcResource;

/**
 * Whether a VNF instance can move to another package by a rolling replacement (change_vnfpkg): the VIM keeps each
 * replica's size and the VNF's type and components, so the new VNFD must describe the same product, type, flavour,
 * VDUs (roles and sizes) and VNFC counts at the instance's scale levels. Pure.
 */
final class PackageCompatibility {

    private PackageCompatibility() {
    }

    /** What stands in the way, one sentence each; empty when nothing does. */
    static List<String> problems(VnfInstanceEntity instance, VnfDescriptor now, VnfDescriptor next) {
        List<String> problems = new ArrayList<>();
        if (!Objects.equals(now.provider(), next.provider())
                || !Objects.equals(now.productName(), next.productName())) {
            problems.add("it is a package of " + next.provider() + " " + next.productName() + ", the instance is of "
                    + now.provider() + " " + now.productName());
        }
        if (!Objects.equals(now.vnfType(), next.vnfType())) {
            problems.add("its VNF type is " + next.vnfType() + ", the instance's " + now.vnfType());
        }
        if (instance.flavourId() != null && !instance.flavourId().equals(next.flavourId())) {
            problems.add("it has no flavour " + instance.flavourId() + " (it has " + next.flavourId() + ")");
        }
        Map<String, VnfDescriptor.Vdu> nextVdus = new LinkedHashMap<>();
        next.vdus().forEach(v -> nextVdus.put(v.id(), v));
        for (VnfDescriptor.Vdu vdu : now.vdus()) {
            VnfDescriptor.Vdu other = nextVdus.remove(vdu.id());
            if (other == null) {
                problems.add("it has no VDU " + vdu.id());
            } else if (!Objects.equals(vdu.role(), other.role())) {
                problems.add("its VDU " + vdu.id() + " has the role " + other.role() + ", not " + vdu.role());
            } else if (vdu.vcpus() != other.vcpus() || vdu.memoryMb() != other.memoryMb()) {
                problems.add("its VDU " + vdu.id() + " is sized " + other.vcpus() + " vCPU/" + other.memoryMb()
                        + " MB, the instance's replicas " + vdu.vcpus() + " vCPU/" + vdu.memoryMb()
                        + " MB; the VIM API cannot change a replica's size, so a change of size is refused");
            }
        }
        nextVdus.keySet().forEach(v -> problems.add("its VDU " + v + " is not one of the instance's"));
        if (problems.isEmpty()) {
            for (Map.Entry<String, Integer> level : instance.scaleStatus().entrySet()) {
                int max = next.aspect(level.getKey()).map(VnfDescriptor.Aspect::maxScaleLevel).orElse(-1);
                if (level.getValue() > max) {
                    problems.add(max < 0
                            ? "it has no scaling aspect " + level.getKey()
                            : "its aspect " + level.getKey() + " goes to level " + max + ", the instance is at "
                                    + level.getValue());
                }
            }
        }
        if (problems.isEmpty()) {
            Map<String, Integer> counts = new LinkedHashMap<>();
            instance.vnfcResources().stream().map(VnfcResource::vduId).forEach(v -> counts.merge(v, 1, Integer::sum));
            Map<String, Integer> wanted = next.countsAt(instance.scaleStatus());
            if (!wanted.equals(counts)) {
                problems.add("at the instance's scale levels it has VNFCs " + wanted + ", the instance " + counts
                        + "; the replacement keeps the VNFCs as they are");
            }
        }
        return problems;
    }
}
