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
 * A {@link Redis} whose commands all go over one connection, opened on first use. Commands are pipelined on
 * it, bounded by {@code quarkus.redis.max-waiting-handlers}. On a cluster it is a cluster connection: one
 * socket per master, each command routed to the master owning its key's slot, MOVED/ASK followed.
 * {@link #connect()} still hands out a dedicated connection from the pool (e.g. for subscriptions).
 * <p>
 * When the connection breaks (a socket closed or failed: a restart, a failover), a replacement is opened,
 * and commands keep going over the broken one until the replacement is open. On a cluster this is what keeps
 * the healthy masters serving while one master is down: only that master's socket is dead, and opening a
 * cluster connection needs every master the cluster lists, which fails until a replica has taken over its
 * slots (issue 12 §4, {@code RedisClusterFailoverIT}). Forgetting the broken connection at once, as this class
 * did before, failed every command, whatever its slot, for the whole promotion. On a single server the broken
 * connection fails its commands at once ("Connection is closed"), as a connection that cannot be opened would.
 */
final class SharedRedisConnection implements Redis {

    private static final Logger LOG = Logger.getLogger(SharedRedisConnection.class);

    private final Redis pooled;
    /** What commands go over; null before the first command, or after it could not be opened. */
    private Future<RedisConnection> current;
    /** Being opened because {@link #current} broke; null when none is. */
    private Future<RedisConnection> replacement;

    SharedRedisConnection(Redis pooled) {
        this.pooled = pooled;
    }

    private synchronized Future<RedisConnection> connection() {
        if (current == null || current.failed()) {
            current = open();
        }
        return current;
    }

    private Future<RedisConnection> open() {
        Future<RedisConnection> opening = pooled.connect();
        opening.onSuccess(connection -> {
            connection.exceptionHandler(failure -> broke(opening, failure));
            connection.endHandler(ignored -> broke(opening, null));
        });
        return opening;
    }

    /**
     * {@code broken} failed: if it is still the current connection and no replacement is being opened, opens
     * one. One attempt at a time: while it fails, the next failing command starts the next.
     */
    private void broke(Future<RedisConnection> broken, Throwable cause) {
        Future<RedisConnection> opening;
        synchronized (this) {
            if (current != broken || replacement != null || !broken.succeeded()) {
                return; // an old connection, a replacement already on its way, or one that never opened (reopened on use)
            }
            opening = open();
            replacement = opening;
        }
        LOG.warnf("Redis connection broke, opening a new one (commands use the old one meanwhile): %s",
                cause == null ? "closed" : cause.toString());
        opening.onComplete(ignored -> replaced(broken, opening));
    }

    private void replaced(Future<RedisConnection> broken, Future<RedisConnection> opened) {
        boolean swapped;
        synchronized (this) {
            replacement = null;
            swapped = opened.succeeded() && current == broken;
            if (swapped) {
                current = opened;
            }
        }
        if (swapped) {
            LOG.info("Redis connection replaced");
            broken.result().close();
        } else if (opened.succeeded()) {
            opened.result().close();
        } else {
            LOG.debugf("New Redis connection not open yet: %s", opened.cause().toString());
        }
    }

    @Override
    public Future<Response> send(Request command) {
        Future<RedisConnection> connection = connection();
        return connection.compose(c -> c.send(command)).recover(failure -> failed(connection, failure));
    }

    @Override
    public Future<List<Response>> batch(List<Request> commands) {
        Future<RedisConnection> connection = connection();
        return connection.compose(c -> c.batch(commands)).recover(failure -> failed(connection, failure));
    }

    /**
     * An error reply (ERR, NOSCRIPT, …) is Redis answering: the connection is fine. Anything else (a socket
     * closed or reset, a node unreachable) may have left a dead socket in the connection, which a pooled
     * socket closed earlier does not announce through the end handler: replace it, and fail the command as
     * {@link RedisUnreachable}.
     */
    private <T> Future<T> failed(Future<RedisConnection> connection, Throwable failure) {
        if (failure instanceof ErrorType) {
            return Future.failedFuture(failure);
        }
        broke(connection, failure);
        return Future.failedFuture(new RedisUnreachable(failure));
    }

    @Override
    public Future<RedisConnection> connect() {
        return pooled.connect();
    }

    @Override
    public synchronized void close() {
        for (Future<RedisConnection> connection : java.util.Arrays.asList(current, replacement)) {
            if (connection != null) {
                connection.onSuccess(RedisConnection::close);
            }
        }
        current = null;
        replacement = null;
    }
}
