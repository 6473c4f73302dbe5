package io.isthmus.vim.service;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import io.isthmus.sol.problem.InvalidRequestException;
import io.isthmus.vim.driver.AllocationPlan;
import io.isthmus.vim.driver.ComponentPlan;

import io.isthmus.vimapi.model.AllocationRequest;

/**
 * Reads an allocation request into a plan: 400 when a field is missing or out of range, 422 when the fields are fine
 * but do not make a VNF (no slowpath, an unknown role).
 */
final class AllocationRequests {

    static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    private static final Pattern COMPONENT_NAME = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    /** Bounds far above any VNF, low enough that totals cannot overflow. */
    static final int MAX_COMPONENTS = 64;
    static final int MAX_COUNT = 1000;
    static final int MAX_VCPUS = 1024;
    static final long MAX_MEMORY_MB = 4L * 1024 * 1024;
    private static final Set<String> ROLES = Set.of(ComponentPlan.SLOWPATH, ComponentPlan.FASTPATH);

    private AllocationRequests() {
    }

    static AllocationPlan plan(AllocationRequest request) {
        if (request == null) {
            throw new InvalidRequestException("An allocation request body is required");
        }
        List<String> invalid = new ArrayList<>();
        identifier(invalid, "id", request.id());
        identifier(invalid, "tenantId", request.tenantId());
        identifier(invalid, "vnfInstanceId", request.vnfInstanceId());
        if (blank(request.vnfType())) {
            invalid.add("vnfType is required");
        }
        if (request.components() == null || request.components().isEmpty()) {
            invalid.add("components must list at least one component");
        } else if (request.components().size() > MAX_COMPONENTS) {
            invalid.add("components may list at most " + MAX_COMPONENTS);
        } else {
            Set<String> names = new HashSet<>();
            for (int i = 0; i < request.components().size(); i++) {
                component(invalid, "components[" + i + "]", request.components().get(i), names);
            }
        }
        if (!invalid.isEmpty()) {
            throw new InvalidRequestException("Invalid allocation request: " + String.join("; ", invalid));
        }

        List<ComponentPlan> components = request.components().stream()
                .map(c -> new ComponentPlan(c.name(), c.role(), c.count(), c.vcpus(), c.memoryMb()))
                .toList();
        List<String> unplaceable = new ArrayList<>();
        components.stream().filter(c -> !ROLES.contains(c.role()))
                .forEach(c -> unplaceable.add("component " + c.name() + " has role " + c.role()
                        + "; roles are slowpath and fastpath"));
        List<ComponentPlan> slowpaths = components.stream().filter(ComponentPlan::isSlowpath).toList();
        if (slowpaths.size() != 1 || slowpaths.getFirst().count() != 1) {
            unplaceable.add("a VNF has exactly one slowpath component with count 1");
        }
        if (!unplaceable.isEmpty()) {
            throw new UnplaceableAllocationException(request.id(), unplaceable);
        }
        return new AllocationPlan(request.id(), request.tenantId(), request.vnfInstanceId(), request.vnfType(),
                components);
    }

    private static void component(List<String> invalid, String at, AllocationRequest.Component component,
            Set<String> names) {
        if (component == null) {
            invalid.add(at + " is null");
            return;
        }
        if (blank(component.name()) || !COMPONENT_NAME.matcher(component.name()).matches()) {
            invalid.add(at + ".name must be a DNS label (lower-case letters, digits, '-', at most 63)");
        } else if (!names.add(component.name())) {
            invalid.add(at + ".name " + component.name() + " is used twice");
        }
        if (blank(component.role())) {
            invalid.add(at + ".role is required");
        }
        inRange(invalid, at + ".count", component.count(), 1, MAX_COUNT);
        inRange(invalid, at + ".vcpus", component.vcpus(), 1, MAX_VCPUS);
        inRange(invalid, at + ".memoryMb", component.memoryMb(), 1, MAX_MEMORY_MB);
    }

    static void identifier(List<String> invalid, String field, String value) {
        if (blank(value)) {
            invalid.add(field + " is required");
        } else if (!ID.matcher(value).matches()) {
            invalid.add(field + " may hold only letters, digits, '.', '_' and '-' (at most 128)");
        }
    }

    static void inRange(List<String> invalid, String field, Number value, long min, long max) {
        if (value == null) {
            invalid.add(field + " is required");
        } else if (value.longValue() < min || value.longValue() > max) {
            invalid.add(field + " must be between " + min + " and " + max + ", not " + value);
        }
    }

    static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
