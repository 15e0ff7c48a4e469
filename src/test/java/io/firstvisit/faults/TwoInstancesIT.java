package io.firstvisit.faults;

import io.firstvisit.faults.harness.Answer;
import io.firstvisit.faults.harness.Crowd;
import io.firstvisit.faults.harness.Outcome;
import io.firstvisit.faults.harness.Release;
import io.firstvisit.faults.harness.Scenario;
import io.firstvisit.faults.harness.Stack;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;

import static org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD;

/**
 * Issue 4 §1, scenario 5 (I6): two instances on the same Redis and PostgreSQL take one surge, requests
 * alternating between them. Every parent taps twice at the same instant, once on each instance and for
 * two different slots of the same department-day, so the one-booking-per-day rule is decided across
 * instances. Nothing may be oversold, nobody booked twice, and every active row must be a 201.
 */
class TwoInstancesIT {

    private static final String NAME = "two-instances";
    private static final int PARENTS = 300;
    private static final int BURST_PARENTS = 100;
    private static final long BURST_AT_MS = 1_000;
    private static Stack stack;

    @BeforeAll
    static void startStack() {
        stack = Stack.start(NAME, 2);
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    @Timeout(value = 150, threadMode = SEPARATE_THREAD)
    void twoInstancesShareOneSurgeWithoutOversellingOrDoubleBooking() {
        Outcome outcome = new Outcome(5, NAME, "Two instances on one Redis and PostgreSQL during one surge", TwoInstancesIT.class,
                "no fault: two instances, each parent sends two simultaneous attempts for two different slots of the same "
                        + "department-day, one to each instance (" + BURST_PARENTS + " parents together at "
                        + BURST_AT_MS + " ms, the rest spread over " + Surges.WINDOW_MS + " ms). The \"fault\" window is the surge.");
        try (Scenario scenario = new Scenario(stack, outcome)) {
            Release release = scenario.prepare(Surges.SLOTS, Surges.CAPACITY, PARENTS, Surges.PROBE_CAPACITY, 0);
            List<Crowd.Planned> plan = Crowd.doubleTaps(release.crowd(), release.slots(), 2, 1,
                    BURST_PARENTS, BURST_AT_MS, Surges.START_MS, Surges.WINDOW_MS);
            scenario.faultStarts();
            List<Answer> answers = Crowd.await(scenario.crowd().fire("surge", plan), Surges.lastPlannedMs(plan), scenario.timeline());
            scenario.faultEnds();

            scenario.checkSurgeWithoutFault(answers);
            scenario.recordMetrics(stack.services());
            scenario.blockedEventLoopWarnings();
            scenario.finish();
        }
    }
}
