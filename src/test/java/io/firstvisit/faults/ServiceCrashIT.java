package io.firstvisit.faults;

import io.firstvisit.faults.harness.Answer;
import io.firstvisit.faults.harness.Commands;
import io.firstvisit.faults.harness.Crowd;
import io.firstvisit.faults.harness.Crowd.Recovery;
import io.firstvisit.faults.harness.Invariants;
import io.firstvisit.faults.harness.Outcome;
import io.firstvisit.faults.harness.Release;
import io.firstvisit.faults.harness.Scenario;
import io.firstvisit.faults.harness.ServiceProcess;
import io.firstvisit.faults.harness.Stack;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD;

/**
 * Issue 4 §1, fault 3: the only instance is killed (kill -9) in the middle of a surge and restarted.
 * Whatever it had reserved in Redis but not yet committed is orphaned; the reaper of the restarted
 * instance must settle every such reservation against PostgreSQL (I3) within the documented bound, and
 * every 201 a client saw before the kill must be in PostgreSQL (I2).
 */
class ServiceCrashIT {

    private static final String NAME = "service-crash";
    /** After the burst, the kill waits at most this long for a reservation to be in flight. */
    private static final long STRIKE_WITHIN_MS = 2_000;
    private static final Duration DOWN = Duration.ofSeconds(1);
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
    @Timeout(value = 200, threadMode = SEPARATE_THREAD)
    void serviceKilledMidSurgeResolvesEveryInFlightReservationAfterRestart() throws Exception {
        Outcome outcome = new Outcome(3, NAME, "Service instance killed (kill -9) mid-surge and restarted", ServiceCrashIT.class,
                "`kill -9` of the only instance during a burst of " + Surges.BURST + " simultaneous attempts, at the first "
                        + "moment Redis holds a reservation waiting for its commit (the instance is frozen with SIGSTOP at that "
                        + "instant so the orphaned reservations can be listed, then killed); the same jar relaunched on the same "
                        + "port " + DOWN.toMillis() + " ms later. Fault end: the relaunch (recovery therefore includes JVM start-up).");
        ServiceProcess service = stack.service();
        try (Scenario scenario = new Scenario(stack, outcome)) {
            Release release = scenario.prepare(Surges.SLOTS, Surges.CAPACITY, Surges.CROWD, Surges.PROBE_CAPACITY, Surges.PROBE_PARENTS);
            List<Crowd.Planned> plan = Surges.plan(release, 1);
            CompletableFuture<List<Answer>> surge = scenario.crowd().fire("surge", plan);

            scenario.timeline().sleepUntil(Surges.BURST_AT_MS);
            awaitReservationInFlight(scenario, Surges.BURST_AT_MS + STRIKE_WITHIN_MS);
            scenario.faultStarts();
            service.process().pause();
            // Nobody is left to confirm or return these: they are the reaper's work after the restart.
            List<String> orphans = Invariants.pendingReservations(stack, release);
            service.kill9();
            Commands.pause(DOWN);
            service.relaunch();
            scenario.faultEnds();
            CompletableFuture<Void> ready = CompletableFuture.runAsync(() -> service.awaitReady(Stack.SERVICE_START));

            Recovery recovery = scenario.probe(Stack.SERVICE_START);
            List<Answer> answers = new ArrayList<>(Crowd.await(surge, Surges.lastPlannedMs(plan), scenario.timeline()));
            answers.addAll(recovery.answers());
            ready.get(Stack.SERVICE_START.toSeconds(), TimeUnit.SECONDS);
            long readyMs = scenario.timeline().msOf(service.readyAtNanos());

            checkOrphansResolved(scenario, orphans, readyMs);
            scenario.tally(answers, a -> a.status() == Answer.NO_ANSWER, ", or no answer while the instance is dead,");
            scenario.recordP99DuringFault(answers);
            scenario.checkRecovered(recovery, Stack.SERVICE_START);
            outcome.detail("restarted instance ready (s after the relaunch)",
                    String.format(Locale.ROOT, "%.1f", (readyMs - scenario.faultEndMs()) / 1000.0));
            scenario.awaitSettledWithinReservationBound(answers);
            scenario.checkRecord(answers);
            scenario.recordMetrics(stack.services());
            scenario.blockedEventLoopWarnings();
            scenario.finish();
        }
    }

    /** Polls Redis' pending set (a reservation between its seat and its commit) every few milliseconds. */
    private static void awaitReservationInFlight(Scenario scenario, long untilMs) {
        while (scenario.timeline().nowMs() < untilMs && Invariants.pendingReservations(stack, scenario.release()).isEmpty()) {
            Commands.pause(Duration.ofMillis(2));
        }
    }

    /**
     * The documented bound is reservation timeout + reaper interval, counted while an instance runs: a
     * reservation's deadline is at most the timeout after the kill, and the restarted instance's reaper
     * first sweeps {@link Stack#REAPER_START_DELAY} after it starts. Whichever comes later, plus one interval.
     */
    private void checkOrphansResolved(Scenario scenario, List<String> orphans, long readyMs) {
        long killMs = scenario.faultStartMs();
        long boundMs = Math.max(killMs + Stack.RESERVATION_TIMEOUT.toMillis(), readyMs + Stack.REAPER_START_DELAY.toMillis())
                + Stack.REAPER_INTERVAL.toMillis() + Scenario.SLACK.toMillis();
        Set<String> left = new HashSet<>(orphans);
        while (!left.isEmpty() && scenario.timeline().nowMs() < boundMs) {
            left.retainAll(new HashSet<>(Invariants.pendingReservations(stack, scenario.release())));
            if (!left.isEmpty()) {
                Commands.pause(Duration.ofMillis(200));
            }
        }
        left.retainAll(new HashSet<>(Invariants.pendingReservations(stack, scenario.release())));
        long resolvedMs = scenario.timeline().nowMs();
        Set<String> committed = Invariants.confirmed(stack.postgres(), orphans);
        Outcome outcome = scenario.outcome();
        outcome.detail("reservations in flight at the kill", orphans.size() + " (" + committed.size() + " had committed and were confirmed, "
                + (orphans.size() - committed.size() - left.size()) + " returned their seat, " + left.size() + " unresolved)");
        outcome.detail("in-flight reservations resolved (s after the kill)", orphans.isEmpty() ? "—"
                : String.format(Locale.ROOT, "%.1f (bound %.1f)", (resolvedMs - killMs) / 1000.0, (boundMs - killMs) / 1000.0));
        outcome.check("every reservation in flight at the kill is confirmed or returned (I3)", left.isEmpty(),
                "all " + orphans.size() + " by max(kill + reservation timeout, restart ready + reaper start delay "
                        + Stack.REAPER_START_DELAY.toSeconds() + " s) + reaper interval + slack = "
                        + String.format(Locale.ROOT, "%.1f s after the kill", (boundMs - killMs) / 1000.0),
                left.isEmpty() ? "all resolved" : left.size() + " still pending: " + left);
    }
}
