package io.isthmus.vnfm.lifecycle;

import static io.isthmus.vnfm.support.Sol003.ROOT;
import static io.isthmus.vnfm.support.Sol003.as;
import static io.isthmus.vnfm.support.Sol003.natConfig;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

import io.isthmus.vnfm.fakes.FakePeers;
import io.isthmus.vnfm.support.Sol003;
import io.isthmus.vnfm.support.Tokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * Twenty clients send the same request for one instance at the same moment: exactly one wins, the others lose with
 * a 409 ProblemDetails (or 404 once the instance is gone), never a 500, and one operation runs.
 */
@QuarkusTest
@WithTestResource(FakePeers.class)
class ConcurrentRequestsTest {

    private static final String SERVICE = Tokens.service();
    private static final int CLIENTS = 20;

    @Test
    void twentyParallelInstantiatesStartOneOperation() throws Exception {
        String id = Sol003.createNat(SERVICE, "acme");
        FakePeers.vim().hold();
        try {
            List<Response> replies = race(() -> as(SERVICE)
                    .body(Map.of("flavourId", "default", "additionalParams", natConfig("203.0.113.40")))
                    .post(ROOT + "/vnf_instances/" + id + "/instantiate"));

            assertThat(statuses(replies)).isSubsetOf(202, 409).filteredOn(s -> s == 202).hasSize(1);
            replies.stream().filter(r -> r.statusCode() == 409)
                    .forEach(r -> assertThat(r.contentType()).startsWith("application/problem+json"));
            List<String> ops = as(SERVICE).queryParam("filter", "(eq,vnfInstanceId," + id + ")")
                    .get(ROOT + "/vnf_lcm_op_occs").then().statusCode(200).extract()
                    .path("findAll { it.vnfInstanceId == '" + id + "' }.id");
            assertThat(ops).hasSize(1);
        } finally {
            FakePeers.vim().release();
        }
        await().atMost(30, SECONDS).until(() -> "INSTANTIATED".equals(as(SERVICE).get(ROOT + "/vnf_instances/" + id)
                .then().extract().path("instantiationState")));

        List<Response> terminations = race(() -> as(SERVICE).body(Map.of("terminationType", "FORCEFUL"))
                .post(ROOT + "/vnf_instances/" + id + "/terminate"));
        assertThat(statuses(terminations)).isSubsetOf(202, 409).filteredOn(s -> s == 202).hasSize(1);
        await().atMost(30, SECONDS).until(() -> "NOT_INSTANTIATED".equals(as(SERVICE)
                .get(ROOT + "/vnf_instances/" + id).then().extract().path("instantiationState")));

        List<Response> deletions = race(() -> as(SERVICE).delete(ROOT + "/vnf_instances/" + id));
        assertThat(statuses(deletions)).isSubsetOf(204, 404, 409).filteredOn(s -> s == 204).hasSize(1);
        as(SERVICE).get(ROOT + "/vnf_instances/" + id).then().statusCode(404);
    }

    /** Sends {@code request} from {@link #CLIENTS} threads released together. */
    static List<Response> race(Callable<Response> request) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Response>> futures = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return request.call();
                }));
            }
            start.countDown();
            List<Response> replies = new ArrayList<>();
            for (Future<Response> f : futures) {
                replies.add(f.get());
            }
            return replies;
        } finally {
            pool.shutdownNow();
        }
    }

    static List<Integer> statuses(List<Response> replies) {
        return replies.stream().map(Response::statusCode).toList();
    }
}
