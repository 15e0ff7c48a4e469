package io.firstvisit.faults;

import io.firstvisit.faults.harness.Answer;
import io.firstvisit.faults.harness.Crowd;
import io.firstvisit.faults.harness.Invariants;
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
 * instances. Nothing may be oversold, nobody booked twice, and every active row must be a 201. Then a
 * scripted client rotates its patients over both instances to grab more than its share.
 */
class TwoInstancesIT {

    private static final String NAME = "two-instances";
    private static final int PARENTS = 300;
    private static final int BURST_PARENTS = 100;
    private static final long BURST_AT_MS = 1_000;
    /** firstvisit.booking.max-per-account-day, left at its default in the instances under test. */
    private static final int ACCOUNT_CAP = 3;
    /** A profile holds at most 10 patients (422 too-many-patients beyond). */
    private static final int CHILDREN_PER_ACCOUNT = 10;
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
            checkAccountLimitAcrossInstances(scenario);
            scenario.recordMetrics(stack.services());
            scenario.blockedEventLoopWarnings();
            scenario.finish();
        }
    }

    /**
     * Issue 4 §3: a scripted client cannot grab places by rotating patients. One account with the most
     * children a profile may hold books all of them at the same instant for the probe slot, alternating
     * between the instances; reserve.lua keeps the account's count per department-day, so exactly
     * {@value #ACCOUNT_CAP} win wherever they land and the rest are told {@code account-limit}.
     */
    private static void checkAccountLimitAcrossInstances(Scenario scenario) {
        Outcome outcome = scenario.outcome();
        String account = NAME + "-scripted-client";
        List<Release.Parent> children = Release.family(stack.baseUrls().get(0), account, CHILDREN_PER_ACCOUNT);
        long at = scenario.timeline().nowMs() + 200;
        String slot = scenario.release().probeSlot().id();
        List<Crowd.Planned> taps = new java.util.ArrayList<>();
        for (int i = 0; i < children.size(); i++) {
            taps.add(new Crowd.Planned(at, i % stack.services().size(), children.get(i), slot));
        }
        List<Answer> answers = Crowd.await(scenario.crowd().fire("scripted", taps), at, scenario.timeline());
        long won = answers.stream().filter(Answer::created).count();
        long limited = answers.stream().filter(a -> a.status() == 409 && "account-limit".equals(a.problem())).count();
        long rows = Invariants.activeOfAccount(stack.postgres(), account);
        long instances = answers.stream().filter(Answer::created).mapToInt(Answer::instance).distinct().count();
        outcome.detail("scripted client: " + children.size() + " children of one account booked at once over "
                + stack.services().size() + " instances", Scenario.statuses(answers) + "; problems " + answers.stream()
                .filter(a -> !a.created()).map(a -> String.valueOf(a.problem())).distinct().sorted().toList()
                + "; its 201s came from " + instances + " instance(s)");
        outcome.check("an account cannot collect places by rotating its patients across instances",
                won == ACCOUNT_CAP && rows == ACCOUNT_CAP && limited == children.size() - ACCOUNT_CAP,
                ACCOUNT_CAP + " × 201, " + ACCOUNT_CAP + " rows, " + (children.size() - ACCOUNT_CAP) + " × 409 account-limit",
                won + " × 201, " + rows + " rows, " + limited + " × 409 account-limit");
    }
}
