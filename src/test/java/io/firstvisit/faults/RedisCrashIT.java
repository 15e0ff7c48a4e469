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

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD;

/**
 * Issue 4 §1, fault 1: Redis dies (kill -9) in the middle of a surge and comes back empty. PostgreSQL
 * is the record, so no confirmed booking may be lost, and the inventory rebuilt from it (I4) must be
 * exactly capacity − active once things settle.
 */
class RedisCrashIT {

    private static final String NAME = "redis-crash";
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
    void redisKilledMidSurgeAndRestartedEmptyLosesNoBookingAndRebuildsTheInventory() {
        Outcome outcome = new Outcome(1, NAME, "Redis killed (kill -9) mid-surge, restarted empty", RedisCrashIT.class,
                "`kill -9` of redis-server " + (Surges.FAULT_AT_MS - Surges.BURST_AT_MS) + " ms after a burst of "
                        + Surges.BURST + " simultaneous attempts; restarted with no data on the same port "
                        + Surges.REDIS_DOWN.toMillis() + " ms later. Fault end: the new redis-server answers PING.");
        try (Scenario scenario = new Scenario(stack, outcome)) {
            Release release = scenario.prepare(Surges.SLOTS, Surges.CAPACITY, Surges.CROWD, Surges.PROBE_CAPACITY, Surges.PROBE_PARENTS);
            List<Crowd.Planned> plan = Surges.plan(release, 1);
            CompletableFuture<List<Answer>> surge = scenario.crowd().fire("surge", plan);

            scenario.timeline().sleepUntil(Surges.FAULT_AT_MS);
            scenario.faultStarts();
            stack.redis().kill9();
            scenario.timeline().sleepUntil(scenario.faultStartMs() + Surges.REDIS_DOWN.toMillis());
            stack.redis().restartEmpty();
            scenario.faultEnds();

            Recovery recovery = scenario.probe(Duration.ofSeconds(30));
            List<Answer> answers = new ArrayList<>(Crowd.await(surge, Surges.lastPlannedMs(plan), scenario.timeline()));
            answers.addAll(recovery.answers());

            scenario.tally(answers, a -> false, "");
            scenario.recordP99DuringFault(answers);
            scenario.checkRecovered(recovery, Surges.RECOVERY_BOUND);
            scenario.awaitSettledWithinReservationBound(answers);
            scenario.checkRecord(answers);
            scenario.recordMetrics(stack.services());
            scenario.blockedEventLoopWarnings();
            scenario.finish();
        }
    }
}
