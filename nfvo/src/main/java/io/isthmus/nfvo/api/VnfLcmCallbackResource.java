package io.isthmus.nfvo.api;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.isthmus.nfvo.integration.VnfmSubscriber;
import io.isthmus.nfvo.service.NsLcmService;
import io.isthmus.sol.model.VnfLcmOperationOccurrenceNotification;

/**
 * Where the VNFM's LCM notifications arrive (SOL003 clause 5.4.20). Open like SOL003 callbacks without
 * authentication, and harmless to forge: only {@code vnfInstanceId} is read, to nudge the NFVO into asking the VNFM
 * (with its own token) for the instance and its operation; nothing else in the body is trusted, and the answer is 204
 * whether the instance is known or not.
 */
@Path(VnfmSubscriber.CALLBACK_PATH)
@PermitAll
public class VnfLcmCallbackResource {

    private final NsLcmService ns;

    public VnfLcmCallbackResource(NsLcmService ns) {
        this.ns = ns;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response notify(VnfLcmOperationOccurrenceNotification notification) {
        ns.vnfOperationChanged(notification);
        return Response.noContent().build();
    }

    /** SOL003: the subscriber's endpoint answers a GET with 204 so the VNFM can test it. */
    @GET
    public Response test() {
        return Response.noContent().build();
    }
}
