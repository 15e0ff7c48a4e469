package io.firstvisit.webhook;

import com.fasterxml.jackson.annotation.JsonRawValue;
import io.firstvisit.common.HospitalTime;
import io.firstvisit.common.JsonCodec;
import io.firstvisit.common.OutageLog;
import io.firstvisit.common.Signature;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sends webhook deliveries (V5): every instance, every poll interval, claims the due ones and posts each
 * event, signed with the webhook's secret like payment notifications are ({@link Signature}), plus
 * {@code X-FirstVisit-Event-Id} for deduplication. A 2xx answer delivers it; anything else (an error
 * status, a refused connection, no answer within the timeout) is retried with exponential backoff, and
 * after the last attempt the delivery is kept as FAILED. Receivers are independent: one that is down
 * holds back only its own deliveries. Delivery is at least once: a receiver must deduplicate on the id.
 */
@ApplicationScoped
public class WebhookDispatcher {

    private static final Logger LOG = Logger.getLogger(WebhookDispatcher.class);
    private static final int MAX_ERROR = 500;

    private final WebhookQueries queries;
    private final WebhookConfig config;
    private final HospitalTime time;
    private final JsonCodec json;
    private final HttpClient http;
    private final Counter delivered;
    private final Counter retried;
    private final Counter failed;
    private final OutageLog outage = new OutageLog(LOG, "Webhook dispatch");
    private final AtomicInteger inFlight = new AtomicInteger();

    public WebhookDispatcher(WebhookQueries queries, WebhookConfig config, HospitalTime time, JsonCodec json, MeterRegistry registry) {
        this.queries = queries;
        this.config = config;
        this.time = time;
        this.json = json;
        this.http = HttpClient.newBuilder().connectTimeout(config.timeout()).followRedirects(HttpClient.Redirect.NEVER).build();
        this.delivered = outcome(registry, "delivered");
        this.retried = outcome(registry, "retry");
        this.failed = outcome(registry, "failed");
    }

    /** What a receiver gets: the event as the feed shows it. */
    @RegisterForReflection
    public record Payload(String id, String type, String bookingId, OffsetDateTime at, @JsonRawValue String data) {
    }

    @Scheduled(every = "{firstvisit.webhooks.poll-interval}", delayed = "2s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> poll() {
        // The poll does not wait for the attempts: a receiver that hangs holds back only its own deliveries.
        return claimAndStart(time.now())
                .invoke(outage::succeeded)
                .onFailure().invoke(outage::failed)
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    /** One attempt for every delivery due at {@code now} (as many as there is room for); waits for them all. */
    public Uni<Integer> deliverDue(Instant now) {
        return claimAndStart(now).flatMap(started -> started.isEmpty()
                ? Uni.createFrom().item(0)
                : Uni.join().all(started).andCollectFailures().replaceWith(started.size()));
    }

    /**
     * Claims due deliveries, at most {@code batch-size} in flight on this instance at once, and starts their
     * attempts. The lease outlasts an attempt (connect + answer), so no other instance sends one meanwhile.
     */
    private Uni<List<Uni<Void>>> claimAndStart(Instant now) {
        int room = config.batchSize() - inFlight.get();
        if (room <= 0) {
            return Uni.createFrom().item(List.of());
        }
        return queries.claim(now, room, now.plus(config.timeout().multipliedBy(3)))
                .map(claimed -> claimed.stream().map(this::start).toList());
    }

    private Uni<Void> start(WebhookQueries.Claimed delivery) {
        inFlight.incrementAndGet();
        Uni<Void> done = attempt(delivery).onTermination().invoke(inFlight::decrementAndGet).memoize().indefinitely();
        done.subscribe().with(ok -> { }, f -> LOG.debugf("Webhook delivery %d not recorded (its lease ends, it is tried again): %s",
                delivery.id(), f.toString()));
        return done;
    }

    private Uni<Void> attempt(WebhookQueries.Claimed delivery) {
        byte[] body = json.write(new Payload(delivery.eventId().toString(), delivery.type(), delivery.bookingId().toString(),
                HospitalTime.local(delivery.at().toInstant()), delivery.payload())).getBytes(StandardCharsets.UTF_8);
        long timestamp = time.now().getEpochSecond();
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(URI.create(delivery.url()))
                    .timeout(config.timeout())
                    .header("Content-Type", "application/json")
                    .header("User-Agent", "FirstVisit-Webhooks/1")
                    .header(Signature.TIMESTAMP_HEADER, Long.toString(timestamp))
                    .header(Signature.SIGNATURE_HEADER, new Signature(delivery.secret()).sign(timestamp, body))
                    .header("X-FirstVisit-Event-Id", delivery.eventId().toString())
                    .header("X-FirstVisit-Event-Type", delivery.type())
                    .header("X-FirstVisit-Delivery-Attempt", Integer.toString(delivery.attempt()))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                    .build();
        } catch (IllegalArgumentException badUrl) {
            return failed(delivery, null, "unusable URL: " + badUrl.getMessage());
        }
        return Uni.createFrom().completionStage(() -> http.sendAsync(request, HttpResponse.BodyHandlers.discarding()))
                .onItemOrFailure().transformToUni((response, failure) -> {
                    if (failure != null) {
                        return failed(delivery, null, failure.getClass().getSimpleName()
                                + (failure.getMessage() == null ? "" : ": " + failure.getMessage()));
                    }
                    if (response.statusCode() / 100 == 2) {
                        delivered.increment();
                        return queries.delivered(delivery.id(), time.now(), response.statusCode());
                    }
                    return failed(delivery, response.statusCode(), "HTTP " + response.statusCode());
                });
    }

    private Uni<Void> failed(WebhookQueries.Claimed delivery, Integer status, String error) {
        String cut = error.length() > MAX_ERROR ? error.substring(0, MAX_ERROR) : error;
        return queries.attemptFailed(delivery.id(), status, cut, time.now().plus(backoff(delivery.attempt())), config.maxAttempts())
                .invoke(last -> {
                    if (last) {
                        failed.increment();
                        LOG.warnf("Webhook delivery %d (event %s) failed %d times; kept as FAILED: %s",
                                delivery.id(), delivery.eventId(), delivery.attempt(), cut);
                    } else {
                        retried.increment();
                    }
                })
                .replaceWithVoid();
    }

    /** After the n-th failed attempt: firstRetry × 2^(n-1), at most lastRetry. */
    Duration backoff(int attempt) {
        Duration wait = config.firstRetry();
        for (int i = 1; i < attempt && wait.compareTo(config.lastRetry()) < 0; i++) {
            wait = wait.multipliedBy(2);
        }
        return wait.compareTo(config.lastRetry()) > 0 ? config.lastRetry() : wait;
    }

    private static Counter outcome(MeterRegistry registry, String outcome) {
        return Counter.builder("firstvisit.webhook.deliveries").description("Webhook delivery attempts by outcome")
                .tag("outcome", outcome).register(registry);
    }
}
