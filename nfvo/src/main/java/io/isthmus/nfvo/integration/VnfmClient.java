package io.isthmus.nfvo.integration;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.resteasy.reactive.RestResponse;

import io.isthmus.sol.client.RemoteCallException;
import io.isthmus.sol.client.RemoteCalls;
import io.isthmus.sol.model.CancelMode;
import io.isthmus.sol.model.CreateVnfRequest;
import io.isthmus.sol.model.InstantiateVnfRequest;
import io.isthmus.sol.model.LccnSubscriptionRequest;
import io.isthmus.sol.model.TerminateVnfRequest;
import io.isthmus.sol.model.VnfInstance;
import io.isthmus.sol.model.VnfIdentifierNotification;
import io.isthmus.sol.model.VnfLcmOpOcc;
import io.isthmus.sol.model.VnfLcmOperationOccurrenceNotification;

/**
 * The NFVO's side of SOL003 VNF LCM (Or-Vnfm), and of the VNF indicators it reads. Every failure leaves as a
 * {@link RemoteCallException} (status 0 when the VNFM was not reached).
 */
@ApplicationScoped
public class VnfmClient {

    private static final String BASE = "/vnflcm/v2";

    private final VnfmApi vnfm;
    private final VnfIndicatorApi indicators;

    public VnfmClient(@RestClient VnfmApi vnfm, @RestClient VnfIndicatorApi indicators) {
        this.vnfm = vnfm;
        this.indicators = indicators;
    }

    /**
     * Creates a VNF instance of the NS. {@code idempotencyKey} is derived from what the NFVO journaled before the call,
     * so a create that runs again (the answer was lost, or not journaled before a crash) gets the same instance back.
     */
    public VnfInstance create(String vnfdId, String name, String tenant, String nsInstanceId, String idempotencyKey) {
        return RemoteCalls.call("POST " + BASE + "/vnf_instances", () -> vnfm.create(idempotencyKey,
                new CreateVnfRequest(vnfdId, name, null, Map.of("tenant", tenant, "nsInstanceId", nsInstanceId))));
    }

    /**
     * Sends one VNF the SOL003 request of {@code task} with {@code key} as its {@code Idempotency-Key} (the VNFM answers
     * a repeated request with the operation the first one opened); returns the id of the VNF LCM operation occurrence.
     */
    public String send(String vnfInstanceId, VnfTask task, String key) {
        String at = BASE + "/vnf_instances/" + vnfInstanceId;
        return opId(switch (task) {
            case VnfTask.Scale t ->
                RemoteCalls.call("POST " + at + "/scale", () -> vnfm.scale(key, vnfInstanceId, t.request()));
            case VnfTask.ScaleToLevel t -> RemoteCalls.call("POST " + at + "/scale_to_level",
                    () -> vnfm.scaleToLevel(key, vnfInstanceId, t.request()));
            case VnfTask.Heal t ->
                RemoteCalls.call("POST " + at + "/heal", () -> vnfm.heal(key, vnfInstanceId, t.request()));
            case VnfTask.Operate t -> RemoteCalls.call("POST " + at + "/operate",
                    () -> vnfm.operate(key, vnfInstanceId, t.request()));
            case VnfTask.ChangeFlavour t -> RemoteCalls.call("POST " + at + "/change_flavour",
                    () -> vnfm.changeFlavour(key, vnfInstanceId, t.request()));
            case VnfTask.ChangeExtConn t -> RemoteCalls.call("POST " + at + "/change_ext_conn",
                    () -> vnfm.changeExtConn(key, vnfInstanceId, t.request()));
            case VnfTask.Modify t ->
                RemoteCalls.call("PATCH " + at, () -> vnfm.modify(key, vnfInstanceId, t.request()));
        });
    }

    /** Runs again a VNF operation that is FAILED_TEMP; one that is gone or not FAILED_TEMP any more (409) needs none. */
    public void retry(String opId) {
        try {
            RemoteCalls.call("POST " + BASE + "/vnf_lcm_op_occs/" + opId + "/retry", () -> vnfm.retry(opId));
        } catch (RemoteCallException e) {
            if (e.status() != 404 && e.status() != 409) {
                throw e;
            }
        }
    }

    /** Cancels a VNF operation still running; one that is gone or finished already (409) needs nothing. */
    public void cancel(String opId, String mode) {
        try {
            RemoteCalls.call("POST " + BASE + "/vnf_lcm_op_occs/" + opId + "/cancel",
                    () -> vnfm.cancel(opId, new CancelMode(mode)));
        } catch (RemoteCallException e) {
            if (e.status() != 404 && e.status() != 409) {
                throw e;
            }
        }
    }

    /** Starts instantiation; returns the id of the VNF LCM operation occurrence. */
    public String instantiate(String vnfInstanceId, Map<String, Object> additionalParams, String key) {
        return opId(RemoteCalls.call("POST " + BASE + "/vnf_instances/" + vnfInstanceId + "/instantiate",
                () -> vnfm.instantiate(key, vnfInstanceId,
                        new InstantiateVnfRequest("default", null, additionalParams, null))));
    }

    public String terminate(String vnfInstanceId, String key) {
        return opId(RemoteCalls.call("POST " + BASE + "/vnf_instances/" + vnfInstanceId + "/terminate",
                () -> vnfm.terminate(key, vnfInstanceId, new TerminateVnfRequest("FORCEFUL", null))));
    }

    /** Deletes the VNF instance; one that does not exist any more is deleted already. */
    public void delete(String vnfInstanceId) {
        try {
            RemoteCalls.run("DELETE " + BASE + "/vnf_instances/" + vnfInstanceId, () -> vnfm.delete(vnfInstanceId));
        } catch (RemoteCallException e) {
            if (e.status() != 404) {
                throw e;
            }
        }
    }

    public VnfInstance get(String vnfInstanceId) {
        return RemoteCalls.call("GET " + BASE + "/vnf_instances/" + vnfInstanceId, () -> vnfm.get(vnfInstanceId));
    }

    /**
     * Gives up a VNF operation that stopped in FAILED_TEMP (the VNFM releases what an instantiation got); one that is
     * gone or not FAILED_TEMP any more (409) needs nothing.
     */
    public void fail(String opId) {
        try {
            RemoteCalls.call("POST " + BASE + "/vnf_lcm_op_occs/" + opId + "/fail", () -> vnfm.fail(opId));
        } catch (RemoteCallException e) {
            if (e.status() != 404 && e.status() != 409) {
                throw e;
            }
        }
    }

    /**
     * The VNF operation of {@code operation} (SOL003 LcmOperationType) on the instance that is not closed yet, if any:
     * the one a request whose answer was lost started, found when the VNFM refuses the request again (409).
     */
    public Optional<String> openOpOf(String vnfInstanceId, String operation) {
        return RemoteCalls.call("GET " + BASE + "/vnf_lcm_op_occs",
                () -> vnfm.ops("(eq,vnfInstanceId," + vnfInstanceId + ")")).stream()
                .filter(o -> operation.equals(o.operation()) && !CLOSED.contains(o.operationState()))
                .map(VnfLcmOpOcc::id).findFirst();
    }

    private static final Set<String> CLOSED = Set.of("COMPLETED", "FAILED", "ROLLED_BACK");

    public VnfLcmOpOcc op(String opId) {
        return RemoteCalls.call("GET " + BASE + "/vnf_lcm_op_occs/" + opId, () -> vnfm.op(opId));
    }

    /** Subscribes to the VNFM's LCM operation occurrence notifications; returns the status (201, or 303 when known). */
    public int subscribe(String callbackUri) {
        return RemoteCalls.call("POST " + BASE + "/subscriptions", () -> vnfm.subscribe(new LccnSubscriptionRequest(
                new LccnSubscriptionRequest.Filter(List.of(VnfLcmOperationOccurrenceNotification.TYPE,
                        VnfIdentifierNotification.CREATION, VnfIdentifierNotification.DELETION), null, null),
                callbackUri))).getStatus();
    }

    /**
     * The values of the VNF instance's indicators named {@code ids} (contracts.md "VNF indicators"), those it has now:
     * none when it is not instantiated.
     */
    public Map<String, Object> indicators(String vnfInstanceId, List<String> ids) {
        String filter = "(in,id," + String.join(",", ids) + ")";
        Map<String, Object> values = new LinkedHashMap<>();
        RemoteCalls.call("GET /vnfind/v1/indicators/" + vnfInstanceId,
                () -> indicators.indicators(vnfInstanceId, filter))
                .forEach(i -> values.put(String.valueOf(i.get("id")), i.get("value")));
        return values;
    }

    private static String opId(RestResponse<?> reply) {
        URI location = reply.getLocation();
        if (location == null) {
            throw new RemoteCallException("the VNFM answered without a Location", 502, null);
        }
        String path = location.getPath();
        return path.substring(path.lastIndexOf('/') + 1);
    }
}
