package io.isthmus.vnf.cen;

/**
 * A token bucket on the caller's clock: {@code rate} tokens a second, at most {@code rate} kept (a second's burst). The
 * CEN's ICMP errors take one each (RFC 1812 4.3.2.8: a router limits the rate of the ICMP errors it sends).
 */
final class TokenBucket {

    /** Tokens are counted in thousandths, so that a millisecond adds {@code rate} of them. */
    private static final long SCALE = 1_000;

    private int rate;
    private long milliTokens;
    private long lastMillis = Long.MIN_VALUE;

    TokenBucket(int rate) {
        this.rate = rate;
        this.milliTokens = rate * SCALE;
    }

    /** A new rate; what the bucket holds is kept up to the new size. */
    void rate(int perSecond) {
        rate = perSecond;
        milliTokens = Math.min(milliTokens, perSecond * SCALE);
    }

    /** Takes a token if there is one at {@code nowMillis}. */
    boolean tryTake(long nowMillis) {
        if (lastMillis != Long.MIN_VALUE && nowMillis > lastMillis) {
            long elapsed = Math.min(nowMillis - lastMillis, SCALE);
            milliTokens = Math.min(rate * SCALE, milliTokens + elapsed * rate);
        }
        if (lastMillis == Long.MIN_VALUE || nowMillis > lastMillis) {
            lastMillis = nowMillis;
        }
        if (milliTokens < SCALE) {
            return false;
        }
        milliTokens -= SCALE;
        return true;
    }

    /** Gives back a token taken for nothing. */
    void giveBack() {
        milliTokens = Math.min(rate * SCALE, milliTokens + SCALE);
    }
}
