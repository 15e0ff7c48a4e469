package io.firstvisit.common;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;

/**
 * The signature FirstVisit and the hospital's systems put on messages to each other (payment
 * notifications in, webhook deliveries out): {@code X-FirstVisit-Timestamp: <epoch seconds>} and
 * {@code X-FirstVisit-Signature: sha256=<hex HMAC-SHA256(secret, timestamp + "." + raw body)>}. The timestamp
 * is signed too, so a captured message cannot be replayed later with a fresh timestamp.
 */
public final class Signature {

    public static final String TIMESTAMP_HEADER = "X-FirstVisit-Timestamp";
    public static final String SIGNATURE_HEADER = "X-FirstVisit-Signature";
    /** Messages further than this from now (either way) are refused. */
    public static final Duration TOLERANCE = Duration.ofMinutes(5);
    private static final String SCHEME = "sha256=";

    private final SecretKeySpec key;

    public Signature(String secret) {
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    }

    /** The signature header's value for this timestamp and body. */
    public String sign(long epochSeconds, byte[] body) {
        return SCHEME + HexFormat.of().formatHex(mac(epochSeconds, body));
    }

    /**
     * Whether the headers sign this body, at a time within {@link #TOLERANCE} of {@code now}. Compared in
     * constant time; a malformed header is simply not a valid signature.
     */
    public boolean verifies(String timestampHeader, String signatureHeader, byte[] body, Instant now) {
        if (timestampHeader == null || signatureHeader == null || !signatureHeader.startsWith(SCHEME)
                || timestampHeader.length() > 12 || !timestampHeader.chars().allMatch(Character::isDigit) || timestampHeader.isEmpty()) {
            return false;
        }
        long timestamp = Long.parseLong(timestampHeader);
        if (Math.abs(now.getEpochSecond() - timestamp) > TOLERANCE.toSeconds()) {
            return false;
        }
        byte[] given;
        try {
            given = HexFormat.of().parseHex(signatureHeader.substring(SCHEME.length()));
        } catch (IllegalArgumentException notHex) {
            return false;
        }
        return MessageDigest.isEqual(given, mac(timestamp, body));
    }

    private byte[] mac(long epochSeconds, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            mac.update((epochSeconds + ".").getBytes(StandardCharsets.US_ASCII));
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
