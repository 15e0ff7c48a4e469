package io.firstvisit.booking;

import io.firstvisit.problem.Problem;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.smallrye.faulttolerance.api.AsynchronousNonBlocking;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * I2: group commit. Winners of the Redis race queue here; whenever a transaction slot is free, every
 * waiting winner (up to the batch size) goes into ONE multi-row INSERT, so a thousand winners cost a
 * handful of commits, not a thousand. A winner's Uni completes only after its row is committed, so a
 * 201 always means "in PostgreSQL".
 * <p>
 * Unique conflicts (the database's second guard: a seat or a patient-day already active) do not fail
 * the batch: {@code ON CONFLICT DO NOTHING} skips the row and its writer is told {@link Outcome#CONFLICT}; so do
 * rows for a cancelled slot ({@link Outcome#SLOT_CANCELLED}) and rows the follow-up rule refuses
 * ({@link Outcome#NOT_ELIGIBLE}).
 * Any other data error fails the batch, which is then retried row by row so one bad row cannot sink
 * the others.
 */
@ApplicationScoped
@Startup // its meters (batch size, queue) exist from the start, not from the first booking: dashboards and tests read them
public class BookingWriter {

    /**
     * CONFLICT: a unique index refused the row; SLOT_CANCELLED: the hospital cancelled the slot meanwhile;
     * NOT_ELIGIBLE: the follow-up rule refused the patient (issue 10 §5), whatever the caches admitted it on.
     */
    public enum Outcome { COMMITTED, CONFLICT, SLOT_CANCELLED, NOT_ELIGIBLE }

    private static final Logger LOG = Logger.getLogger(BookingWriter.class);

    /**
     * One statement, one transaction: the winners' rows, their audit lines and (by trigger) their events
     * commit together.
     * Conflicting rows are skipped (and get no audit line); RETURNING names the committed ones.
     * <p>
     * Rows for a slot the hospital cancelled are skipped too, and the answer names such slots. FOR SHARE
     * orders this against the cancellation (which updates the slot row first, then its bookings): either
     * the cancellation waits for these rows and cancels them with the rest, or these rows wait for it and
     * see the slot cancelled. Nothing is left booked on a cancelled slot.
     * <p>
     * PostgreSQL is the second guard of the follow-up rule (VisitRules, issue 10 §5): the booking path admitted each
     * row on a cached or Redis copy of the patient's visit history, which may be behind a visit completed moments ago
     * or lost by Redis. A row the rule refuses here is skipped and named NOT_ELIGIBLE: a FOLLOW_UP row needs a
     * COMPLETED visit of its patient in its department dated no earlier than the window's start ($15 days before
     * its date; that very visit when it names one), a FIRST row has none while $16 (first-visit-unseen-only) holds,
     * and names none. COMPLETED rows never change again, so no lock is needed: a visit that completes while this
     * statement runs is ordered after this booking. One index probe per row (booking_completed_visit, V9), inside
     * the statement the winners make anyway; never a query of its own.
     */
    private static final String INSERT = """
            WITH open_slots AS (
                SELECT id, visit_type FROM slot WHERE id = ANY($2::uuid[]) AND cancelled_at IS NULL FOR SHARE
            ), candidates AS (
                SELECT b.*,
                       CASE WHEN s.visit_type = 'FOLLOW_UP' THEN EXISTS (
                                SELECT 1 FROM booking p
                                 WHERE p.patient_id = b.patient_id AND p.department_id = b.department_id AND p.status = 'COMPLETED'
                                   AND p.visit_date >= b.visit_date - $15::int
                                   AND (b.follow_up_of IS NULL OR p.id = b.follow_up_of))
                            ELSE b.follow_up_of IS NULL AND (NOT $16::boolean OR NOT EXISTS (
                                SELECT 1 FROM booking p
                                 WHERE p.patient_id = b.patient_id AND p.department_id = b.department_id AND p.status = 'COMPLETED'
                                   AND p.visit_date >= b.visit_date - $15::int))
                       END AS eligible
                  FROM unnest($1::uuid[], $2::uuid[], $3::int[], $4::int[], $5::uuid[], $6::text[], $7::uuid[],
                              $8::date[], $9::text[], $10::timestamptz[], $11::text[], $12::int[], $13::timestamptz[], $14::uuid[])
                    AS b(id, slot_id, slot_capacity, seat, patient_id, account_id, department_id, visit_date,
                         idempotency_key, created_at, status, fee, hold_expires_at, follow_up_of)
                  JOIN open_slots s ON s.id = b.slot_id
            ), inserted AS (
                INSERT INTO booking (id, slot_id, slot_capacity, seat, patient_id, account_id, department_id, visit_date,
                                     status, idempotency_key, created_at, fee, hold_expires_at, follow_up_of)
                SELECT id, slot_id, slot_capacity, seat, patient_id, account_id, department_id, visit_date,
                       status, idempotency_key, created_at, fee, hold_expires_at, follow_up_of
                  FROM candidates
                 WHERE eligible
                ON CONFLICT DO NOTHING
                RETURNING id, slot_id, account_id, seat, status, hold_expires_at
            ), audited AS (
                INSERT INTO booking_audit (booking_id, slot_id, account_id, action, reason)
                SELECT id, slot_id, account_id, 'BOOKED',
                       CASE WHEN status = 'PENDING_PAYMENT' THEN 'seat ' || seat || ' held for payment until ' || hold_expires_at
                            ELSE 'seat ' || seat || ' confirmed' END
                  FROM inserted
                RETURNING booking_id
            )
            SELECT booking_id AS id, 'COMMITTED' AS outcome FROM audited
            UNION ALL
            SELECT id, 'NOT_ELIGIBLE' FROM candidates WHERE NOT eligible
            UNION ALL
            SELECT DISTINCT s, 'SLOT_CANCELLED' FROM unnest($2::uuid[]) AS s WHERE s NOT IN (SELECT id FROM open_slots)
            """;

    /**
     * How long a caller waits for its row's commit (the write budget). With statement_timeout it bounds when a commit
     * can still land, which the reservation timeout must exceed ({@link TimeoutRelations} checks it at start).
     */
    static final long WRITE_BUDGET_MS = 5000;

    private final Pool pool;
    private final BookingConfig config;
    private final VisitRules visitRules;
    private final DistributionSummary batchSizes;
    private final ConcurrentLinkedQueue<PendingWrite> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicInteger activeBatches = new AtomicInteger();

    public BookingWriter(Pool pool, BookingConfig config, MeterRegistry registry) {
        this.pool = pool;
        this.config = config;
        this.visitRules = VisitRules.of(config);
        this.batchSizes = DistributionSummary.builder("firstvisit.booking.batch.size")
                .description("Booking rows committed per PostgreSQL transaction (group commit)")
                .register(registry);
        registry.gauge("firstvisit.booking.write.queue", queued);
    }

    /**
     * Completes with the outcome once the row's transaction has committed (or was skipped as a conflict).
     * Fails with a 503 problem when the queue is full. A timeout leaves the commit's fate unknown: the
     * caller must not return the seat then; the reservation reaper settles it against PostgreSQL.
     */
    @AsynchronousNonBlocking
    @Timeout(WRITE_BUDGET_MS)
    @CircuitBreaker(requestVolumeThreshold = 20, failureRatio = 0.5, delay = 3000, successThreshold = 3,
            skipOn = Problem.class)
    public Uni<Outcome> write(NewBooking booking) {
        return Uni.createFrom().emitter(emitter -> {
            if (queued.incrementAndGet() > config.writeQueueLimit()) {
                queued.decrementAndGet();
                emitter.fail(Problem.unavailable("write-queue-full", Duration.ofSeconds(1)));
                return;
            }
            PendingWrite write = new PendingWrite(booking, emitter, Vertx.currentContext());
            emitter.onTermination(write::abandon);
            queue.add(write);
            startBatchIfIdle();
        });
    }

    private void startBatchIfIdle() {
        while (!queue.isEmpty()) {
            int active = activeBatches.get();
            if (active >= config.concurrentBatches()) {
                return; // a running batch picks the queue up when it finishes
            }
            if (activeBatches.compareAndSet(active, active + 1)) {
                runBatch();
                return;
            }
        }
    }

    private void runBatch() {
        List<PendingWrite> batch = new ArrayList<>();
        PendingWrite next;
        while (batch.size() < config.batchMaxSize() && (next = queue.poll()) != null) {
            queued.decrementAndGet();
            if (next.isWaiting()) {
                batch.add(next);
            }
        }
        if (batch.isEmpty()) {
            batchDone();
            return;
        }
        insert(batch).subscribe().with(
                written -> {
                    batchSizes.record(batch.size());
                    batch.forEach(w -> w.complete(written.outcome(w.booking)));
                    batchDone();
                },
                failure -> {
                    if (batch.size() > 1 && isDataError(failure)) {
                        LOG.warnf("Batch of %d failed (%s); retrying row by row", batch.size(), failure.getMessage());
                        insertOneByOne(batch);
                    } else {
                        batch.forEach(w -> w.fail(failure));
                        batchDone();
                    }
                });
    }

    /**
     * One bad row must not sink the others: each row alone, one after the other, still inside this
     * batch's transaction slot, so the retry stays within {@code concurrent-batches} connections.
     */
    private void insertOneByOne(List<PendingWrite> batch) {
        Multi.createFrom().iterable(batch)
                .onItem().transformToUniAndConcatenate(write -> insert(List.of(write))
                        .invoke(written -> write.complete(written.outcome(write.booking)))
                        .onFailure().invoke(write::fail)
                        .onFailure().recoverWithNull())
                .collect().last()
                .subscribe().with(done -> batchDone(), failure -> batchDone());
    }

    /**
     * What one INSERT did: the rows committed, the slots found cancelled (their rows skipped), and the rows the
     * follow-up rule refused (skipped).
     */
    private record Written(Set<UUID> committed, Set<UUID> cancelledSlots, Set<UUID> notEligible) {
        Outcome outcome(NewBooking booking) {
            if (committed.contains(booking.id())) {
                return Outcome.COMMITTED;
            }
            if (notEligible.contains(booking.id())) {
                return Outcome.NOT_ELIGIBLE;
            }
            return cancelledSlots.contains(booking.slot().id()) ? Outcome.SLOT_CANCELLED : Outcome.CONFLICT;
        }
    }

    private void batchDone() {
        activeBatches.decrementAndGet();
        startBatchIfIdle();
    }

    private Uni<Written> insert(List<PendingWrite> batch) {
        int n = batch.size();
        UUID[] ids = new UUID[n];
        UUID[] slotIds = new UUID[n];
        Integer[] capacities = new Integer[n];
        Integer[] seats = new Integer[n];
        UUID[] patientIds = new UUID[n];
        String[] accounts = new String[n];
        UUID[] departments = new UUID[n];
        java.time.LocalDate[] dates = new java.time.LocalDate[n];
        String[] keys = new String[n];
        OffsetDateTime[] created = new OffsetDateTime[n];
        String[] statuses = new String[n];
        Integer[] fees = new Integer[n];
        OffsetDateTime[] holds = new OffsetDateTime[n];
        UUID[] followUpOf = new UUID[n];
        for (int i = 0; i < n; i++) {
            NewBooking b = batch.get(i).booking;
            ids[i] = b.id();
            slotIds[i] = b.slot().id();
            capacities[i] = b.slot().capacity();
            seats[i] = b.seat();
            patientIds[i] = b.patientId();
            accounts[i] = b.accountId();
            departments[i] = b.slot().departmentId();
            dates[i] = b.slot().date();
            keys[i] = b.idempotencyKey();
            created[i] = b.createdAt().atOffset(ZoneOffset.UTC);
            statuses[i] = b.status().name();
            fees[i] = b.slot().fee();
            holds[i] = b.holdExpiresAt() == null ? null : b.holdExpiresAt().atOffset(ZoneOffset.UTC);
            followUpOf[i] = b.followUpOf();
        }
        Tuple args = Tuple.tuple(List.<Object>of(ids, slotIds, capacities, seats, patientIds, accounts, departments, dates, keys, created,
                statuses, fees, holds, followUpOf, visitRules.windowDays(), visitRules.firstVisitUnseenOnly()));
        return pool.preparedQuery(INSERT).execute(args).map(rows -> {
            Set<UUID> committed = new HashSet<>(rows.size() * 2);
            Set<UUID> cancelled = new HashSet<>();
            Set<UUID> notEligible = new HashSet<>();
            for (Row row : rows) {
                switch (Outcome.valueOf(row.getString(1))) {
                    case COMMITTED -> committed.add(row.getUUID(0));
                    case SLOT_CANCELLED -> cancelled.add(row.getUUID(0));
                    case NOT_ELIGIBLE -> notEligible.add(row.getUUID(0));
                    case CONFLICT -> throw new IllegalStateException("the INSERT never names a conflict");
                }
            }
            return new Written(committed, cancelled, notEligible);
        });
    }

    /** A rejected statement (constraint, data): the server answered and rolled back; nothing is half-done. */
    static boolean isDataError(Throwable failure) {
        return failure instanceof PgException pg && pg.getSqlState() != null
                && (pg.getSqlState().startsWith("22") || pg.getSqlState().startsWith("23"));
    }

    /** One winner waiting for its commit; answered on the event loop it came from. */
    private static final class PendingWrite {
        final NewBooking booking;
        final UniEmitter<? super Outcome> emitter;
        final Context context;
        final AtomicBoolean waiting = new AtomicBoolean(true);

        PendingWrite(NewBooking booking, UniEmitter<? super Outcome> emitter, Context context) {
            this.booking = booking;
            this.emitter = emitter;
            this.context = context;
        }

        boolean isWaiting() {
            return waiting.get();
        }

        void abandon() {
            waiting.set(false);
        }

        void complete(Outcome outcome) {
            if (waiting.compareAndSet(true, false)) {
                run(() -> emitter.complete(outcome));
            }
        }

        void fail(Throwable failure) {
            if (waiting.compareAndSet(true, false)) {
                run(() -> emitter.fail(failure));
            }
        }

        private void run(Runnable action) {
            if (context != null) {
                context.runOnContext(ignored -> action.run());
            } else {
                action.run();
            }
        }
    }
}
