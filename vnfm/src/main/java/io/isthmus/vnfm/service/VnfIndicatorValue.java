package io.isthmus.vnfm.service;

/**
 * One VNF indicator of an instance as its slowpath answered it, at the time of the request.
 *
 * @param vnfInstanceId the instance
 * @param id the indicator's id, a dotted path into the slowpath's {@code /stats} ({@link StatsIndicators})
 * @param value a number, a string or a boolean
 */
public record VnfIndicatorValue(String vnfInstanceId, String id, Object value) {
}
