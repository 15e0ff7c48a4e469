package io.firstvisit.redis;

import io.vertx.core.Future;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.impl.types.ErrorType;
import org.jboss.logging.Logger;

import java.util.List;

/**
 * A {@link Redis} whose commands all go over one connection, opened on first use and opened again
 * after it broke (a socket closed or failed: a restart, a failover). Commands are pipelined on it,
 * bounded by {@code quarkus.redis.max-waiting-handlers}. On a cluster it is a cluster connection: one
 * socket per master, each command routed to the master owning its key's slot, MOVED/ASK followed.
 * {@link #connect()} still hands out a dedicated connection from the pool (e.g. for subscriptions).
 */
final class SharedRedisConnection implements Redis {

    private static final Logger LOG = Logger.getLogger(SharedRedisConnection.class);

    private final Redis pooled;
    private Future<RedisConnection> current;

    SharedRedisConnection(Redis pooled) {
        this.pooled = pooled;
    }

    private synchronized Future<RedisConnection> connection() {
        if (current == null) {
            Future<RedisConnection> opening = pooled.connect();
            current = opening;
            opening.onSuccess(connection -> {
                connection.exceptionHandler(failure -> drop(opening, failure));
                connection.endHandler(ignored -> drop(opening, null));
            });
            opening.onFailure(failure -> drop(opening, failure));
        }
        return current;
    }

    /** Forgets a broken connection (the next command opens a new one) and closes what is left of it. */
    private void drop(Future<RedisConnection> broken, Throwable cause) {
        synchronized (this) {
            if (current != broken) {
                return;
            }
            current = null;
        }
        LOG.warnf("Redis connection dropped, the next command opens a new one: %s", cause == null ? "closed" : cause.toString());
        broken.onSuccess(connection -> connection.close());
    }

    @Override
    public Future<Response> send(Request command) {
        Future<RedisConnection> connection = connection();
        return connection.compose(c -> c.send(command)).onFailure(failure -> dropUnlessRedisAnswered(connection, failure));
    }

    @Override
    public Future<List<Response>> batch(List<Request> commands) {
        Future<RedisConnection> connection = connection();
        return connection.compose(c -> c.batch(commands)).onFailure(failure -> dropUnlessRedisAnswered(connection, failure));
    }

    /**
     * An error reply (ERR, NOSCRIPT, …) is Redis answering: the connection is fine. Anything else (a socket
     * closed or reset, a node unreachable) may have left a dead socket in the connection, which a pooled
     * socket closed earlier does not announce through the end handler: open a new one.
     */
    private void dropUnlessRedisAnswered(Future<RedisConnection> connection, Throwable failure) {
        if (!(failure instanceof ErrorType)) {
            drop(connection, failure);
        }
    }

    @Override
    public Future<RedisConnection> connect() {
        return pooled.connect();
    }

    @Override
    public synchronized void close() {
        if (current != null) {
            current.onSuccess(RedisConnection::close);
            current = null;
        }
    }
}
