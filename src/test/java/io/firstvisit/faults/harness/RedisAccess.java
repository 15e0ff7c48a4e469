package io.firstvisit.faults.harness;

import java.util.List;

/**
 * Direct RESP access to the Redis a stack runs on, one server or a cluster, so the checks read the
 * admission gate without going through the service under test.
 */
public interface RedisAccess {

    /**
     * One command, one reply: a String (simple or bulk), a Long, a List (arrays), or null. A Redis error
     * reply becomes an IllegalStateException; no answer within 2 s an UncheckedIOException.
     */
    Object command(String... args);

    default long integer(String... args) {
        Object reply = command(args);
        return reply == null ? 0 : (Long) reply;
    }

    @SuppressWarnings("unchecked")
    default List<String> strings(String... args) {
        Object reply = command(args);
        return reply == null ? List.of() : (List<String>) reply;
    }
}
