package io.firstvisit.faults;

import io.firstvisit.faults.harness.Answer;
import io.firstvisit.faults.harness.Crowd;
import io.firstvisit.faults.harness.Crowd.Recovery;
import io.firstvisit.faults.harness.Outcome;
import io.firstvisit.faults.harness.Release;
import io.firstvisit.faults.harness.Release.Parent;
import io.firstvisit.faults.harness.Scenario;
import io.firstvisit.faults.harness.Stack;
import io.firstvisit.faults.harness.Tally;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD;

/**
 * Issue 12 §4: after a Redis stall, a parent who got a 503 retries with the same Idempotency-Key and must
 * get a prompt, definitive answer; and every 503 is counted in the outcome metric. The claims of the stalled attempts sat in Redis' socket buffer and ran
 * when Redis woke up, after the service had given up on them; before the fence (settle-key.lua) each
 * retry waited 10 s for an attempt that no longer existed and got a second 503.
 */
class IdempotencyAfterStallIT {

    private static final String NAME = "idempotency-after-stall";
    private static final int SLOTS = 2;
    private static final int CAPACITY = 20;
    private static final int PARENTS = 60;
    private static final Duration STALL = Duration.ofSeconds(6);
    private static Stack stack;

    @BeforeAll
    static void startStack() {
        stack = Stack.start(NAME, 1);
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    @Timeout(value = 150, threadMode = SEPARATE_THREAD)
    void aRetryWithTheSameKeyAfterAStallIsAnsweredAtOnce() {
        Outcome outcome = new Outcome(10, NAME, "Retries with the same Idempotency-Key after a Redis stall", IdempotencyAfterStallIT.class,
                "redis-server SIGSTOPped, then " + PARENTS + " parents book at once, each with its own Idempotency-Key; "
                        + "SIGCONTed " + STALL.toMillis() + " ms after the stop. Once a fresh parent books again, each of the "
                        + PARENTS + " retries once with its key. Fault end: SIGCONT.");
        try (Scenario scenario = new Scenario(stack, outcome)) {
            Release release = scenario.prepare(SLOTS, CAPACITY, PARENTS, 20, 60);
            List<Parent> parents = release.crowd();
            List<String> keys = parents.stream().map(p -> UUID.randomUUID().toString()).toList();

            double unavailableBefore = unavailableCounted();
            scenario.faultStarts();
            stack.redis().pause();
            List<Answer> stalled = all(scenario, "stalled", parents, release, keys);
            scenario.timeline().sleepUntil(scenario.faultStartMs() + STALL.toMillis());
            stack.redis().resume();
            scenario.faultEnds();

            Recovery recovery = scenario.probe(Duration.ofSeconds(30));
            List<Answer> retries = all(scenario, "retry", parents, release, keys);

            List<Answer> answers = new ArrayList<>(stalled);
            answers.addAll(recovery.answers());
            answers.addAll(retries);
            scenario.tally(answers, a -> false, "");
            outcome.detail("answers during the stall", statuses(stalled) + ", max " + Tally.max(stalled) + " ms");
            outcome.detail("answers to the retries", statuses(retries) + ", p99 " + Tally.p99(retries) + " ms, max "
                    + Tally.max(retries) + " ms");
            long definitive = retries.stream().filter(a -> a.status() == 201 || a.status() == 409).count();
            outcome.check("every retry gets a definitive answer", definitive == PARENTS,
                    PARENTS + " × 201 or 409 (sold-out), no 503", statuses(retries));
            outcome.check("retries are answered at once", Tally.max(retries) <= Surges.TIMEOUT_ANSWER_P99.toMillis(),
                    "slowest ≤ " + Surges.TIMEOUT_ANSWER_P99.toMillis() + " ms (one Redis budget and scheduling, not the "
                            + "10 s in-flight wait)", Tally.max(retries) + " ms");
            long booked = retries.stream().filter(Answer::created).count();
            outcome.check("the free places go to the retries", booked == (long) SLOTS * CAPACITY,
                    SLOTS * CAPACITY + " × 201 (the places were all free when the stall began)", booked);
            long answered503 = answers.stream().filter(a -> a.status() == 503).count();
            long counted503 = Math.round(unavailableCounted() - unavailableBefore);
            outcome.check("every 503 is counted in the outcome metric", counted503 == answered503,
                    "firstvisit_booking_outcomes_total{outcome=\"unavailable\"} grew by the " + answered503 + " 503s answered",
                    counted503);
            scenario.checkRecovered(recovery, Surges.RECOVERY_BOUND);
            scenario.awaitSettledWithinReservationBound(answers);
            scenario.checkRecord(answers);
            scenario.recordMetrics(stack.services());
            scenario.finish();
        }
    }

    /** Every parent at once, each with its own key; bounded by the client timeout. */
    private static List<Answer> all(Scenario scenario, String phase, List<Parent> parents, Release release, List<String> keys) {
        List<CompletableFuture<Answer>> sent = new ArrayList<>();
        for (int i = 0; i < parents.size(); i++) {
            sent.add(scenario.crowd().book(phase, 0, parents.get(i), release.slots().get(i % SLOTS).id(), keys.get(i)));
        }
        return Crowd.await(CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new))
                .thenApply(ignored -> sent.stream().map(CompletableFuture::join).toList()), 0, scenario.timeline());
    }

    private static double unavailableCounted() {
        return stack.service().metric("firstvisit_booking_outcomes_total{outcome=\"unavailable\"}").orElse(-1);
    }

    private static String statuses(List<Answer> answers) {
        return answers.stream().collect(Collectors.groupingBy(Answer::status, TreeMap::new, Collectors.counting())).toString();
    }
}
