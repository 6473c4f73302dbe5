package io.isthmus.vnfm.fakes;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Starts the vnfm's peers as fakes (nfvo, vim, a slowpath, a notification subscriber) and points the vnfm at them.
 * One set per test JVM, shared by every {@code @QuarkusTest}: tests tell their data apart by the ids they create.
 */
public final class FakePeers implements QuarkusTestResourceLifecycleManager {

    private static FakeNfvo nfvo;
    private static FakeSlowpath slowpath;
    private static FakeVim vim;
    private static FakeNotificationSink sink;

    @Override
    public synchronized Map<String, String> start() {
        if (nfvo == null) {
            nfvo = new FakeNfvo();
            slowpath = new FakeSlowpath();
            vim = new FakeVim(slowpath.port());
            sink = new FakeNotificationSink();
        }
        return Map.of("isthmus.vnfm.nfvo-url", nfvo.url(), "isthmus.vnfm.vim-url", vim.url());
    }

    @Override
    public synchronized void stop() {
        // the servers live as long as the test JVM: a second Quarkus start in the same run reuses them
    }

    public static FakeNfvo nfvo() {
        return nfvo;
    }

    public static FakeVim vim() {
        return vim;
    }

    public static FakeSlowpath slowpath() {
        return slowpath;
    }

    public static FakeNotificationSink sink() {
        return sink;
    }
}
