package io.firstvisit.booking;

import io.firstvisit.problem.Problem;
import io.firstvisit.schedule.SlotView;
import io.firstvisit.schedule.VisitType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.UUID;

/**
 * Issue 10 §5 on the booking path: may this patient compete for a seat of this slot, as a first visit or a follow-up?
 * {@link VisitRules} decides; this class finds what it decides on, as cheaply as each case allows:
 * <pre>
 *  FIRST (rule on)     this instance's copy / Redis ─ seen ─▶ 422 already-seen
 *                                                   └ not seen ─▶ seat ─▶ INSERT re-checks (NOT EXISTS) ─▶ 201 | 422
 *  FOLLOW_UP           this instance's copy / Redis ─ seen ─▶ seat ─▶ INSERT re-checks (EXISTS) ─▶ 201 | 422
 *                                                   └ not seen ─▶ PostgreSQL ─ seen ─▶ seat ─▶ …
 *                                                                            └ not seen ─▶ 422 no-prior-visit
 *  FOLLOW_UP+followUpOf  that booking from PostgreSQL ─ valid ─▶ seat ─▶ INSERT re-checks ─▶ 201 | 422
 * </pre>
 * The release minute is FIRST slots: there the check costs no PostgreSQL query and at most one Redis read per patient
 * per cache period ({@link VisitHistories}); PostgreSQL's second look is part of the INSERT winners make anyway. A
 * FOLLOW_UP refusal costs one indexed query, so that a copy behind a just-completed visit never turns a child away.
 * <p>
 * {@code firstvisit_visit_history_drift_total{kind}} counts each time a copy disagreed with PostgreSQL: {@code missed}
 * (a completed visit the copy lacked: a completion another instance recorded in the last cache period, or a Redis
 * write lost), {@code phantom} (a visit the copy had and PostgreSQL does not: should never happen).
 */
@ApplicationScoped
public class VisitEligibility {

    private final VisitRules rules;
    private final VisitHistories histories;
    private final VisitHistoryQueries queries;
    private final Counter missed;
    private final Counter phantom;

    public VisitEligibility(BookingConfig config, VisitHistories histories, VisitHistoryQueries queries, MeterRegistry registry) {
        this.rules = VisitRules.of(config);
        this.histories = histories;
        this.queries = queries;
        this.missed = drift(registry, "missed");
        this.phantom = drift(registry, "phantom");
    }

    /** Built at start-up, so a follow-up window that is not whole days stops the start instead of the first booking. */
    void onStart(@Observes StartupEvent start) {
        rules.windowDays();
    }

    public VisitRules rules() {
        return rules;
    }

    /** What the request alone refuses (no I/O): see {@link VisitRules#checkRequest}. */
    public void checkRequest(SlotView slot, UUID followUpOf) {
        rules.checkRequest(slot, followUpOf);
    }

    /** Completes when the patient may compete for a seat of {@code slot}; fails with 422 {@code not-eligible} otherwise. */
    public Uni<Void> admit(SlotView slot, UUID patientId, UUID followUpOf) {
        if (!rules.readsHistory(slot)) {
            return Uni.createFrom().voidItem();
        }
        if (followUpOf != null) {
            return queries.booking(followUpOf)
                    .invoke(previous -> refuseIf(rules.followUpOfRefusal(slot, patientId, previous)))
                    .replaceWithVoid();
        }
        return histories.known(patientId).flatMap(history -> {
            if (slot.visitType() == VisitType.FOLLOW_UP && !rules.seenWithin(slot, history)) {
                return confirmNoPriorVisit(slot, patientId);
            }
            refuseIf(rules.refusal(slot, history));
            return Uni.createFrom().voidItem();
        });
    }

    /** The copy has no visit in the window: only PostgreSQL may say so to a family asking for a follow-up. */
    private Uni<Void> confirmNoPriorVisit(SlotView slot, UUID patientId) {
        return histories.fromDatabase(patientId)
                .invoke(history -> {
                    refuseIf(rules.refusal(slot, history));
                    missed.increment(); // PostgreSQL has the visit the copy lacked (now written back)
                })
                .replaceWithVoid();
    }

    /**
     * PostgreSQL's INSERT skipped the row (BookingWriter.Outcome.NOT_ELIGIBLE): the copy this attempt was admitted on
     * was wrong. Redis and this instance's copy are rebuilt from PostgreSQL, so the patient's next attempt is refused
     * before it takes a seat; the refusal is the one the rule gives.
     */
    public Uni<Problem> refusedByDatabase(NewBooking booking) {
        SlotView slot = booking.slot();
        (slot.visitType() == VisitType.FIRST ? missed : phantom).increment();
        return histories.fromDatabase(booking.patientId())
                .onFailure().recoverWithNull() // the answer does not depend on the repair
                .map(ignored -> slot.visitType() == VisitType.FIRST ? rules.alreadySeen(slot) : rules.noPriorVisit(slot));
    }

    private static void refuseIf(Problem refusal) {
        if (refusal != null) {
            throw refusal;
        }
    }

    private static Counter drift(MeterRegistry registry, String kind) {
        return Counter.builder("firstvisit.visit.history.drift")
                .description("Times a cached or Redis visit history disagreed with PostgreSQL (and was rebuilt from it)")
                .tag("kind", kind)
                .register(registry);
    }
}
