package io.firstvisit.problem;

import io.vertx.pgclient.PgException;

import java.io.IOException;

/**
 * Tells a failure of a backing service (Redis or PostgreSQL unreachable, a connection dropped mid-call)
 * from a bug. The first is answered 503 + Retry-After: the parent can try again in a moment; the
 * second is a 500 and is logged with its stack.
 */
public final class DependencyFailures {

    private DependencyFailures() {
    }

    public static boolean isDependencyFailure(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof IOException) {
                return true; // connect refused, closed channel, reset by peer
            }
            if (t instanceof PgException pg) {
                String state = pg.getSqlState();
                // 08 connection exception, 57 operator intervention (shutdown, cancel), 53 insufficient resources
                return state != null && (state.startsWith("08") || state.startsWith("57") || state.startsWith("53"));
            }
            String type = t.getClass().getName();
            if (type.startsWith("io.netty.") || type.startsWith("io.vertx.redis.") || type.startsWith("io.vertx.core.")) {
                return true; // e.g. NoStackTraceThrowable "Connection is closed", Redis ErrorType CONNECTION_CLOSED
            }
        }
        return false;
    }
}
