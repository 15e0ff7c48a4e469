package io.firstvisit.faults;

import io.firstvisit.faults.harness.Answer;
import io.firstvisit.faults.harness.Crowd;
import io.firstvisit.faults.harness.Crowd.Recovery;
import io.firstvisit.faults.harness.Outcome;
import io.firstvisit.faults.harness.Release;
import io.firstvisit.faults.harness.Scenario;
import io.firstvisit.faults.harness.Stack;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD;

/**
 * Issue 4 §1, fault 2: PostgreSQL goes down hard in the middle of a surge. No 201 may be sent without
 * a committed row (I2); the service must answer 503 + Retry-After fast instead of piling requests up;
 * seats taken for commits that failed come back (I3); bookings resume once PostgreSQL is back.
 */
class PostgresCrashIT {

    private static final String NAME = "postgres-crash";
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
    void postgresDownMidSurgeGivesFast503sAndReturnsEverySeatOfAFailedCommit() {
        Outcome outcome = new Outcome(2, NAME, "PostgreSQL crashed (immediate shutdown) mid-surge", PostgresCrashIT.class,
                "immediate shutdown of the postmaster (SIGQUIT, what `pg_ctl stop -m immediate` sends: backends die "
                        + "mid-statement, no checkpoint) " + (Surges.FAULT_AT_MS - Surges.BURST_AT_MS) + " ms after a burst of "
                        + Surges.BURST + " simultaneous attempts; restarted (crash recovery) " + Surges.POSTGRES_DOWN.toMillis()
                        + " ms later. Fault end: PostgreSQL accepts connections again.");
        try (Scenario scenario = new Scenario(stack, outcome)) {
            Release release = scenario.prepare(Surges.SLOTS, Surges.CAPACITY, Surges.CROWD, Surges.PROBE_CAPACITY, Surges.PROBE_PARENTS);
            List<Crowd.Planned> plan = Surges.plan(release, 1);
            CompletableFuture<List<Answer>> surge = scenario.crowd().fire("surge", plan);

            scenario.timeline().sleepUntil(Surges.FAULT_AT_MS);
            scenario.faultStarts();
            stack.postgres().crash();
            scenario.timeline().sleepUntil(scenario.faultStartMs() + Surges.POSTGRES_DOWN.toMillis());
            stack.postgres().restart();
            scenario.faultEnds();

            Recovery recovery = scenario.probe(java.time.Duration.ofSeconds(30));
            List<Answer> answers = new ArrayList<>(Crowd.await(surge, Surges.lastPlannedMs(plan), scenario.timeline()));
            answers.addAll(recovery.answers());

            scenario.tally(answers, a -> false, "");
            scenario.checkFastDuringFault(answers, Surges.FAST_P99);
            scenario.checkRecovered(recovery, Surges.RECOVERY_BOUND);
            scenario.awaitSettledWithinReservationBound(answers);
            scenario.checkRecord(answers);
            scenario.recordMetrics(stack.services());
            scenario.blockedEventLoopWarnings();
            scenario.finish();
        }
    }
}
