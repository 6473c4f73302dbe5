package io.isthmus.e2e.bench.lifecycle;

import java.util.Locale;
import java.util.Map;

/**
 * The lifecycle section of docs/benchmarks.md (between {@code <!-- lifecycle:start -->} and
 * {@code <!-- lifecycle:end -->}; scripts/bench.sh puts it after what ReportWriter writes, or keeps the last one).
 */
final class Markdown {

    static final String START = "<!-- lifecycle:start -->";
    static final String END = "<!-- lifecycle:end -->";

    private Markdown() {
    }

    static String section(LifecycleBenchmark bench) {
        Map<String, String> r = bench.results;
        StringBuilder md = new StringBuilder();
        md.append(START).append("\n## Lifecycle figures (issue 10)\n\n");
        md.append("Written by `./nfv bench` (`ISTHMUS_BENCH_ONLY=lifecycle`): LifecycleBenchmark"
                + " (io.isthmus.e2e.bench.lifecycle, e2e test sources) against the real nfvo, vnfm and vim of"
                + " `target/quarkus-app` (full JIT, -Xmx512m each) on their own databases (`<service>_bench`), with the"
                + " local VIM driver starting real slowpath and fastpath processes. Every process, PostgreSQL, Keycloak"
                + " and the benchmark share the machine's cores; the load average is noted beside each figure.\n\n");
        md.append("| # | What | Figure | Goal | Met | Measured |\n|---|---|---|---|---|---|\n");
        row(md, bench, "9", "NS instantiate → COMPLETED, local VIM, one NAT VNF, "
                + count(r, "lifecycle.ns-instantiate.count") + " in a row", "instantiate",
                "p50 " + ms(r, "lifecycle.ns-instantiate.p50") + ", p99 " + ms(r, "lifecycle.ns-instantiate.p99")
                        + " (terminate p50 " + ms(r, "lifecycle.ns-terminate.p50") + "; the slowest of the warm-ups "
                        + ms(r, "lifecycle.ns-instantiate.warm-up.max") + ")",
                "p99 ≤ 2 s", met(r, "lifecycle.ns-instantiate.p99", 2000));
        row(md, bench, "10", "Scale out by one fastpath → op COMPLETED / → first packet through the new fastpath, "
                + count(r, "lifecycle.scale.rounds") + " rounds, scaled in after each", "scale",
                "first packet p50 " + ms(r, "lifecycle.scale-out.first-packet.p50") + ", p99 "
                        + ms(r, "lifecycle.scale-out.first-packet.p99") + "; COMPLETED p50 "
                        + ms(r, "lifecycle.scale-out.completed.p50") + ", p99 "
                        + ms(r, "lifecycle.scale-out.completed.p99") + " (scale in p50 "
                        + ms(r, "lifecycle.scale-in.completed.p50") + "); packets lost of 64 flows every 20 ms: "
                        + count(r, "lifecycle.scale-out.lost") + " of " + count(r, "lifecycle.scale-out.sent")
                        + " during scale out, " + count(r, "lifecycle.scale-in.lost") + " of "
                        + count(r, "lifecycle.scale-in.sent") + " during scale in, "
                        + count(r, "lifecycle.scale.steady.lost") + " of " + count(r, "lifecycle.scale.steady.sent")
                        + " between",
                "p99 ≤ 1 s", met(r, "lifecycle.scale-out.first-packet.p99", 1000));
        row(md, bench, "11", "LCM API of the vnfm with " + count(r, "lifecycle.api.instances")
                + " VNF instances in its database, " + count(r, "lifecycle.api.users")
                + " users: creates, gets, filtered lists, op occ polls", "api",
                "paced at " + count(r, "lifecycle.api.paced.rate") + " req/s: "
                        + count(r, "lifecycle.api.paced.throughput") + " req/s, p50 "
                        + ms(r, "lifecycle.api.paced.p50") + ", p99 " + ms(r, "lifecycle.api.paced.p99")
                        + "; flat out " + count(r, "lifecycle.api.flat.throughput") + " req/s at p99 "
                        + ms(r, "lifecycle.api.flat.p99") + "; filled " + count(r, "lifecycle.api.fill.api")
                        + " through the API (" + count(r, "lifecycle.api.fill.api-rate") + "/s), "
                        + count(r, "lifecycle.api.fill.sql") + " by SQL",
                "≥ 200 req/s with p99 ≤ 100 ms", apiMet(r));
        md.append("\nHow each is measured: 9 — POST `/nslcm/v2/ns_instances/{id}/instantiate` (the NS created"
                + " before, not timed) to its NS LCM op occ COMPLETED, polled every 20 ms; each NS is terminated and"
                + " deleted before the next; three more before them, right after the services' start, are not"
                + " counted (the slowest is shown). 10 — one NAT VNF on the vnfm (SOL003), 64 UDP flows every 20 ms through"
                + " it following its published ingress (read every 100 ms) by the rendezvous hash; POST"
                + " `/vnflcm/v2/vnf_instances/{id}/scale` SCALE_OUT of aspect `fastpath` to the op occ COMPLETED"
                + " (polled every 10 ms) and to the first probe packet out of the NAT through the new fastpath (its"
                + " data port read from `instantiatedVnfInfo.extCpInfo[0].metadata.ingress.endpoints` every 10 ms, a"
                + " probe sent to it every 1 ms); then SCALE_IN by one step; a first round is not counted; each packet carries the phase it was sent"
                + " in, so losses are counted per phase. 11 — 10 % POST `/vnf_instances`, 40 % GET of a random"
                + " instance, 10 % GET `/vnf_instances?filter=` by name (one match), 10 % by instantiation state (the first page of 100),"
                + " 30 % GET of a random `/vnf_lcm_op_occs/{id}` (MODIFY_INFO operations made by PATCH), as alice with"
                + " a Keycloak token and `Version: 2.0.0`, from one java.net.http.HttpClient; 10 s warm-up, 30 s flat"
                + " out (closed loop), 30 s paced (open loop: latency from each request's scheduled start).\n\n");
        md.append("Command: `ISTHMUS_BENCH_ONLY=lifecycle ./nfv bench`; by hand, with PostgreSQL and Keycloak running"
                + " and `ISTHMUS_DB_URL`, `ISTHMUS_OIDC_URL` and the client secrets in the environment (`mvn"
                + " test-compile -pl e2e` and `mvn dependency:build-classpath -pl e2e -Dmdep.outputFile=cp.txt`"
                + " first): `java -Disthmus.root=. -cp e2e/target/test-classes:e2e/target/classes:$(cat cp.txt)"
                + " io.isthmus.e2e.bench.lifecycle.LifecycleBenchmark [--only instantiate,scale,api]"
                + " [--markdown section.md]`.\n\n");
        md.append("<details><summary>All numbers of this run</summary>\n\n```\n");
        for (String line : bench.lines) {
            if (line.startsWith("RESULT") || line.startsWith("BENCH") || line.startsWith("INFO")
                    || line.startsWith("WARN") || line.startsWith("FAILED")) {
                md.append(line).append('\n');
            }
        }
        md.append("```\n</details>\n").append(END).append('\n');
        return md.toString();
    }

    private static void row(StringBuilder md, LifecycleBenchmark bench, String n, String what, String part,
            String figure, String goal, String met) {
        String at = bench.measuredAt.get(part);
        md.append("| ").append(n).append(" | ").append(what).append(" | ")
                .append(at == null ? "not measured (see the log)" : figure).append(" | ").append(goal).append(" | ")
                .append(at == null ? "—" : met).append(" | ").append(at == null ? "—" : at).append(" |\n");
    }

    /** Milliseconds as {@code 850 ms} or {@code 1.53 s}. */
    private static String ms(Map<String, String> r, String key) {
        double x = number(r, key);
        return Double.isNaN(x)
                ? "—"
                : x >= 1000 ? String.format(Locale.ROOT, "%.2f s", x / 1000) : String.format(Locale.ROOT, "%.0f ms", x);
    }

    /** A count as {@code 12,217}. */
    private static String count(Map<String, String> r, String key) {
        double x = number(r, key);
        return Double.isNaN(x) ? "—" : String.format(Locale.ROOT, "%,.0f", x);
    }

    private static double number(Map<String, String> r, String key) {
        String v = r.get(key);
        return v == null ? Double.NaN : Double.parseDouble(v.substring(0, v.indexOf(' ')));
    }

    private static String met(Map<String, String> r, String key, double atMost) {
        double x = number(r, key);
        return Double.isNaN(x) ? "—" : x <= atMost ? "yes" : "**no**";
    }

    private static String apiMet(Map<String, String> r) {
        double rate = number(r, "lifecycle.api.paced.throughput");
        double p99 = number(r, "lifecycle.api.paced.p99");
        if (Double.isNaN(rate) || Double.isNaN(p99)) {
            return "—";
        }
        // paced at 200/s over 30 s the schedule itself gives 199.x: 1 % slack
        return rate >= 198 && p99 <= 100 && number(r, "lifecycle.api.paced.errors") == 0 ? "yes" : "**no**";
    }
}
