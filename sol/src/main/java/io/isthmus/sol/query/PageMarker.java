package io.isthmus.sol.query;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.isthmus.sol.problem.InvalidRequestException;

/**
 * The {@code nextpage_opaque_marker} of SOL013 clause 5.4.2.1: the key of the last element of a page (its order time
 * and id) and the resource it is of, base64url, followed by a truncated HMAC-SHA256 so that a marker that was not
 * issued here, or was edited, is refused with 400. It carries a position only: the filter and the tenant scope are
 * the request's own, so a marker can never widen what a caller sees.
 */
public final class PageMarker {

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();
    private static final int MAC_BYTES = 16;

    private final SecretKeySpec key;

    public PageMarker(String secret) {
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    }

    /** Where a page ends: the next page has the elements after ({@code orderValue}, {@code id}). */
    public record Position(Instant orderValue, String id) {
    }

    public String encode(String resource, Position after) {
        byte[] payload = (resource + "\n" + after.orderValue() + "\n" + after.id()).getBytes(StandardCharsets.UTF_8);
        return ENCODER.encodeToString(payload) + "." + ENCODER.encodeToString(mac(payload));
    }

    /** The position {@code marker} stands for; 400 unless this service issued it for {@code resource}. */
    public Position decode(String resource, String marker) {
        int dot = marker.indexOf('.');
        if (dot < 0 || marker.indexOf('.', dot + 1) >= 0) {
            throw invalid();
        }
        byte[] payload;
        byte[] mac;
        try {
            payload = DECODER.decode(marker.substring(0, dot));
            mac = DECODER.decode(marker.substring(dot + 1));
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
        if (!MessageDigest.isEqual(mac, mac(payload))) {
            throw invalid();
        }
        String[] parts = new String(payload, StandardCharsets.UTF_8).split("\n", -1);
        if (parts.length != 3 || !parts[0].equals(resource) || parts[2].isEmpty()) {
            throw invalid();
        }
        try {
            return new Position(Instant.parse(parts[1]), parts[2]);
        } catch (DateTimeException e) {
            throw invalid();
        }
    }

    private byte[] mac(byte[] payload) {
        try {
            Mac hmac = Mac.getInstance("HmacSHA256");
            hmac.init(key);
            return Arrays.copyOf(hmac.doFinal(payload), MAC_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    private static InvalidRequestException invalid() {
        return new InvalidRequestException("nextpage_opaque_marker is not a marker this API issued for this list;"
                + " follow the Link header of the previous page");
    }
}
