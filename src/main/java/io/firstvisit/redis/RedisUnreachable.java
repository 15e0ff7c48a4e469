package io.firstvisit.redis;

/**
 * A command that failed without Redis answering it: the connection to the node that owns its key was
 * refused, closed or reset (a restart, a master of a cluster killed). It failed at once, without waiting.
 * <p>
 * The circuit breakers on Redis calls skip it ({@code skipOn}): they exist to turn a <em>slow</em> Redis into
 * immediate 503s, and this failure is immediate already. On a cluster, counting it would let one dead master's
 * share of the calls open the breaker for every key, also those on the masters that still answer
 * (issue 12 §4, {@code RedisClusterFailoverIT}). A stalled Redis still opens them: its calls time out.
 */
public final class RedisUnreachable extends RuntimeException {

    RedisUnreachable(Throwable cause) {
        super("Redis node not reachable: " + cause, cause, false, false);
    }
}
