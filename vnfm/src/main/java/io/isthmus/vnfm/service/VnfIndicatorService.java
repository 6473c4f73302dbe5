package io.isthmus.vnfm.service;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;

import io.isthmus.sol.client.RemoteCallException;
import io.isthmus.sol.query.Attribute;
import io.isthmus.sol.query.AttributeFilter;
import io.isthmus.sol.query.ListedResource;
import io.isthmus.sol.query.PageMarker;
import io.isthmus.sol.query.SolPage;
import io.isthmus.sol.query.SolQuery;
import io.isthmus.sol.security.Caller;
import io.isthmus.vnfm.config.VnfmConfig;
import io.isthmus.vnfm.integration.SlowpathConfigClient;
import io.isthmus.vnfm.lifecycle.SlowpathEndpoint;
import io.isthmus.vnfm.persistence.VnfInstanceEntity;
import io.isthmus.vnfm.persistence.VnfInstanceRepository;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * SOL003 clause 8 VNF indicators: read on demand, one {@code GET /stats} to an instance's slowpath per instance and
 * request ({@link StatsIndicators}); nothing is stored. An instance not instantiated has none. Every read is scoped by
 * the caller's tenant.
 */
@ApplicationScoped
public class VnfIndicatorService {

    /**
     * What the indicator lists filter on (every attribute of VnfIndicator but {@code _links}); no attribute selectors.
     * No table holds indicators: its entity and order are never queried, the filter is applied in memory
     * ({@link InMemoryFilter}) and a page ends at an (instance id, indicator id) pair.
     */
    public static final ListedResource LISTED = ListedResource.of("VnfIndicator", "VnfIndicator", "id")
            .filter(Attribute.string("id", "id"), Attribute.string("name", "name"),
                    Attribute.string("value", "value"), Attribute.string("vnfInstanceId", "vnfInstanceId"))
            .notFilterable("_links")
            .noSelectors()
            .build();

    private static final Comparator<VnfIndicatorValue> ORDER = Comparator
            .comparing(VnfIndicatorValue::vnfInstanceId).thenComparing(VnfIndicatorValue::id);

    private final VnfInstanceRepository instances;
    private final SlowpathConfigClient slowpaths;
    private final Caller caller;
    private final VnfmConfig config;

    public VnfIndicatorService(VnfInstanceRepository instances, SlowpathConfigClient slowpaths, Caller caller,
            VnfmConfig config) {
        this.instances = instances;
        this.slowpaths = slowpaths;
        this.caller = caller;
        this.config = config;
    }

    /**
     * A page of the indicators of every instantiated instance the caller may see that match {@code filter}; an
     * instance whose slowpath does not answer is left out.
     */
    public SolPage<VnfIndicatorValue> list(SolQuery query, AttributeFilter filter) {
        Optional<String> scope = caller.tenantScope();
        List<Source> sources = QuarkusTransaction.requiringNew().call(() -> instances.listInstantiatedScoped(scope)
                .stream().map(Source::of).sorted(Comparator.comparing(Source::vnfInstanceId)).toList());
        return page(sources, query, filter, true);
    }

    /** A page of one instance's indicators that match {@code filter}; 503 when its slowpath does not answer. */
    public SolPage<VnfIndicatorValue> list(String vnfInstanceId, SolQuery query, AttributeFilter filter) {
        return page(List.of(source(vnfInstanceId)), query, filter, false);
    }

    /** One indicator of an instance; 404 when it has none of that id, 503 when its slowpath does not answer. */
    public VnfIndicatorValue get(String vnfInstanceId, String indicatorId) {
        return read(source(vnfInstanceId)).stream().filter(i -> i.id().equals(indicatorId)).findFirst()
                .orElseThrow(() -> new VnfIndicatorNotFoundException(vnfInstanceId, indicatorId));
    }

    /** Where an instance's indicators are read: its slowpath, none when it is not instantiated. */
    private record Source(String vnfInstanceId, Optional<SlowpathEndpoint> slowpath) {

        static Source of(VnfInstanceEntity instance) {
            return new Source(instance.id(), instance.isInstantiated()
                    ? SlowpathEndpoint.of(instance.vnfcResources())
                    : Optional.empty());
        }
    }

    private Source source(String vnfInstanceId) {
        Optional<String> scope = caller.tenantScope();
        return QuarkusTransaction.requiringNew().call(() -> instances.findScoped(vnfInstanceId, scope).map(Source::of))
                .orElseThrow(() -> new VnfInstanceNotFoundException(vnfInstanceId));
    }

    /** The instance's indicators, by id. */
    private List<VnfIndicatorValue> read(Source source) {
        if (source.slowpath().isEmpty()) {
            return List.of();
        }
        SlowpathEndpoint at = source.slowpath().get();
        JsonNode stats;
        try {
            stats = slowpaths.stats(at.host(), at.configPort(), config.http().indicatorTimeout());
        } catch (RemoteCallException e) {
            throw new PeerUnavailableException("The slowpath of VNF instance " + source.vnfInstanceId()
                    + " did not answer for its indicators" + (e.status() > 0 ? " (HTTP " + e.status() + ")" : ""));
        }
        return StatsIndicators.of(stats).entrySet().stream()
                .map(e -> new VnfIndicatorValue(source.vnfInstanceId(), e.getKey(), e.getValue())).sorted(ORDER)
                .toList();
    }

    /**
     * The page of the sources' indicators that match, in (instance id, indicator id) order after the query's marker.
     * Sources are read in order until the page is full, those a filter on {@code vnfInstanceId} rules out not at all.
     */
    private SolPage<VnfIndicatorValue> page(List<Source> sources, SolQuery query, AttributeFilter filter,
            boolean skipUnanswered) {
        InMemoryFilter matching = new InMemoryFilter(filter, Set.of("value"));
        Optional<VnfIndicatorValue> after = query.after().map(VnfIndicatorService::position);
        List<VnfIndicatorValue> found = new ArrayList<>();
        for (Source source : sources) {
            if (after.isPresent() && source.vnfInstanceId().compareTo(after.get().vnfInstanceId()) < 0
                    || !matching.matchesOn("vnfInstanceId", source.vnfInstanceId())) {
                continue;
            }
            List<VnfIndicatorValue> read;
            try {
                read = read(source);
            } catch (PeerUnavailableException e) {
                if (!skipUnanswered) {
                    throw e;
                }
                continue;
            }
            read.stream().filter(i -> after.isEmpty() || ORDER.compare(i, after.get()) > 0)
                    .filter(i -> matching.matches(attribute -> attribute(i, attribute))).forEach(found::add);
            if (found.size() > query.pageSize()) {
                break;
            }
        }
        if (found.size() <= query.pageSize()) {
            return new SolPage<>(found, Optional.empty());
        }
        VnfIndicatorValue last = found.get(query.pageSize() - 1);
        return new SolPage<>(found.subList(0, query.pageSize()),
                Optional.of(new PageMarker.Position(Instant.EPOCH, last.vnfInstanceId() + "/" + last.id())));
    }

    private static Object attribute(VnfIndicatorValue indicator, String attribute) {
        return switch (attribute) {
            case "id", "name" -> indicator.id();
            case "value" -> indicator.value();
            case "vnfInstanceId" -> indicator.vnfInstanceId();
            default -> throw new IllegalArgumentException("VnfIndicator has no filterable " + attribute);
        };
    }

    /** The indicator a page ended with (instance ids are UUIDs: the first '/' ends one). */
    private static VnfIndicatorValue position(PageMarker.Position position) {
        String key = position.id();
        int slash = key.indexOf('/');
        return new VnfIndicatorValue(key.substring(0, Math.max(slash, 0)), key.substring(slash + 1), null);
    }
}
