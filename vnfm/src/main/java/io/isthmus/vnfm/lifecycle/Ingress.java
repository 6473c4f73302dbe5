package io.isthmus.vnfm.lifecycle;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.isthmus.vnfm.persistence.LcmOperationType;
import io.isthmus.vnfm.persistence.OperationPhase;
import io.isthmus.vnfm.persistence.OperationWork;
import io.isthmus.vnfm.persistence.VnfcResource;

/**
 * The published ingress of a VNF (contracts.md "Ingress"): the fastpath VNFCs its senders spread flows over by a
 * consistent hash. Operations take VNFCs out of it before they stop or restart them, and put the ones they start in
 * it once they run. Pure functions of the operation's journal.
 */
final class Ingress {

    private Ingress() {
    }

    /** The VNFCs that receive data (a fastpath has a data port). */
    static List<String> fastpaths(List<VnfcResource> vnfcs) {
        return vnfcs.stream().filter(Ingress::isFastpath).map(VnfcResource::id).toList();
    }

    static boolean isFastpath(VnfcResource v) {
        return v.metadata() != null && v.metadata().get("dataPort") instanceof Number;
    }

    /** The ingress after UNPUBLISH: without what the operation stops, removes or restarts. */
    static List<String> unpublished(LcmOperationType operation, OperationWork work) {
        List<String> now = work.ingress() == null ? fastpaths(work.vnfcs()) : work.ingress();
        return switch (operation) {
            case TERMINATE, OPERATE, INSTANTIATE -> List.of();
            default -> {
                List<String> out = new ArrayList<>(now);
                OperationWork.Plan plan = work.plan();
                if (plan != null && plan.remove() != null) {
                    out.removeAll(plan.remove());
                }
                if (plan != null && plan.heal() != null) {
                    out.removeAll(plan.heal());
                }
                yield List.copyOf(out);
            }
        };
    }

    /** The ingress after PUBLISH: every fastpath running, less the ones being removed. */
    static List<String> published(LcmOperationType operation, OperationPhase phase, OperationWork work,
            Map<String, Object> params) {
        if (operation == LcmOperationType.OPERATE && "STOPPED".equals(String.valueOf(params.get("changeStateTo")))) {
            return List.of();
        }
        List<String> out = new ArrayList<>(fastpaths(work.vnfcs()));
        OperationWork.Plan plan = work.plan();
        if (phase == OperationPhase.FORWARD && plan != null && plan.remove() != null) {
            out.removeAll(plan.remove());
        }
        return List.copyOf(out);
    }

    /** The fastpaths DRAIN waits for: those removed, or all of them on a graceful stop or termination. */
    static List<String> draining(LcmOperationType operation, OperationWork work, Map<String, Object> params) {
        return switch (operation) {
            case TERMINATE -> "GRACEFUL".equals(String.valueOf(params.get("terminationType")))
                    ? fastpaths(work.vnfcs())
                    : List.of();
            case OPERATE -> "STOPPED".equals(String.valueOf(params.get("changeStateTo")))
                    && "GRACEFUL".equals(String.valueOf(params.get("stopType")))
                            ? fastpaths(work.vnfcs())
                            : List.of();
            default -> work.plan() == null || work.plan().remove() == null ? List.of() : work.plan().remove();
        };
    }

    /** How long DRAIN waits at most: the request's graceful timeout, else {@code additionalParams.drainTimeout}. */
    static Duration drainTimeout(LcmOperationType operation, Map<String, Object> params, Duration otherwise) {
        Object seconds = switch (operation) {
            case TERMINATE -> params.get("gracefulTerminationTimeout");
            case OPERATE -> params.get("gracefulStopTimeout");
            default -> params.get("additionalParams") instanceof Map<?, ?> m ? m.get("drainTimeout") : null;
        };
        return seconds instanceof Number n ? Duration.ofSeconds(n.longValue()) : otherwise;
    }

    /**
     * Which of the draining fastpaths still received a packet within {@code quietMillis}, by the slowpath's
     * {@code /stats} ({@code fastpaths[].id}, {@code lastPacketAgeMs}). A fastpath the slowpath no longer lists is quiet.
     */
    static List<String> busy(List<String> draining, List<VnfcResource> vnfcs, JsonNode stats, long quietMillis) {
        Map<Long, Long> ageById = new LinkedHashMap<>();
        for (JsonNode f : stats.path("fastpaths")) {
            long id = f.path("id").asLong(-1);
            // a fastpath with workers registers each as id + worker * 2^24: the youngest worker counts
            long fastpath = id & ((1L << 24) - 1);
            long age = f.has("lastPacketAgeMs") ? f.path("lastPacketAgeMs").asLong() : Long.MAX_VALUE;
            ageById.merge(fastpath, age, Math::min);
        }
        return draining.stream().filter(id -> {
            Long age = ageById.get(fastpathIdOf(vnfcs, id));
            return age != null && age < quietMillis;
        }).toList();
    }

    static Map<String, Integer> countsByVdu(List<VnfcResource> vnfcs) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (VnfcResource v : vnfcs) {
            counts.merge(v.vduId(), 1, Integer::sum);
        }
        return counts;
    }

    static String vduOf(List<VnfcResource> vnfcs, String vnfcId) {
        return vnfcs.stream().filter(v -> v.id().equals(vnfcId)).map(VnfcResource::vduId).findFirst()
                .orElse(vnfcId.substring(0, Math.max(0, vnfcId.lastIndexOf('-'))));
    }

    /** The id the fastpath registers with at its slowpath: the vim's {@code fastpathId}, else its index. */
    static long fastpathIdOf(List<VnfcResource> vnfcs, String vnfcId) {
        return vnfcs.stream().filter(v -> v.id().equals(vnfcId) && v.metadata() != null)
                .map(v -> v.metadata().get("fastpathId")).filter(Number.class::isInstance)
                .map(n -> ((Number) n).longValue()).findFirst().orElse((long) indexOf(vnfcId));
    }

    /** The replica index of a VNFC id {@code <vduId>-<index>} (the fastpath's id for the slowpath). */
    static int indexOf(String vnfcId) {
        return Integer.parseInt(vnfcId.substring(vnfcId.lastIndexOf('-') + 1));
    }
}
