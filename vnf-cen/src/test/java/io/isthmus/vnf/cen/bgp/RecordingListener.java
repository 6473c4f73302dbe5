package io.isthmus.vnf.cen.bgp;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** The route table a user of {@link BgpPeer} would keep: learned routes by prefix, emptied on down. */
final class RecordingListener implements BgpListener {

    final Map<Prefix, LearnedRoute> routes = new ConcurrentHashMap<>();
    final AtomicInteger established = new AtomicInteger();
    final List<String> downs = new CopyOnWriteArrayList<>();

    @Override
    public void onEstablished(BgpPeer peer) {
        established.incrementAndGet();
    }

    @Override
    public void onRoutes(BgpPeer peer, List<LearnedRoute> announced, List<Prefix> withdrawn) {
        withdrawn.forEach(routes::remove);
        announced.forEach(route -> routes.put(route.prefix(), route));
    }

    @Override
    public void onDown(BgpPeer peer, String reason) {
        routes.clear();
        downs.add(reason);
    }
}
