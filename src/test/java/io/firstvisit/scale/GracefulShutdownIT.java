package io.firstvisit.scale;

import io.firstvisit.faults.harness.Answer;
import io.firstvisit.faults.harness.Crowd;
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
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD;

/**
 * Issue 5 §3: SIGTERM during a surge loses no 201. Two instances share a surge round-robin; in the middle
 * of its burst one of them gets SIGTERM, as Kubernetes sends when it scales a pod in or rolls it. The
 * requests it already holds must be finished (a 201 only for a committed row, no reset connections), it
 * must exit within {@code quarkus.shutdown.timeout}, and whatever it left reserved is settled by the
 * instance that stays.
 */
class GracefulShutdownIT {

    private static final String NAME = "graceful-shutdown";
    /** {@code quarkus.shutdown.timeout} in application.properties; k8s gives 30 s (terminationGracePeriodSeconds). */
    private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(20);
    /** SIGTERM this long after the burst's instant, while its attempts are in flight. */
    private static final long TERM_AFTER_BURST_MS = 30;
    /** A refused connection never reached the server: the client may retry it anywhere. */
    private static final String REFUSED = "ConnectException";
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
    @Timeout(value = 240, threadMode = SEPARATE_THREAD)
    void sigtermDuringASurgeFinishesInFlightBookingsAndLosesNo201() {
        Outcome outcome = new Outcome(8, NAME, "SIGTERM to one of two instances in the middle of a surge", GracefulShutdownIT.class,
                "`kill -TERM` of instance 1 of 2 " + TERM_AFTER_BURST_MS + " ms after a burst of " + ScaleSurge.BURST
                        + " simultaneous attempts (half of them on instance 1); the crowd keeps sending to both, as a load balancer "
                        + "would until the endpoint is removed. Fault window: SIGTERM → the process has exited.");
        ServiceProcess leaving = stack.services().get(0);
        try (Scenario scenario = new Scenario(stack, outcome)) {
            Release release = scenario.prepare(ScaleSurge.SLOTS, ScaleSurge.CAPACITY, ScaleSurge.PARENTS, ScaleSurge.PROBE_CAPACITY, 0);
            List<Crowd.Planned> plan = Crowd.plan(release.crowd(), release.slots(), 2, ScaleSurge.START_MS, ScaleSurge.WINDOW_MS,
                    ScaleSurge.BURST, ScaleSurge.BURST_AT_MS);
            CompletableFuture<List<Answer>> surge = scenario.crowd().fire("surge", plan);

            scenario.timeline().sleepUntil(ScaleSurge.BURST_AT_MS + TERM_AFTER_BURST_MS);
            scenario.faultStarts();
            long termMs = scenario.faultStartMs();
            leaving.process().signal("TERM");
            boolean exited = leaving.process().awaitExit(SHUTDOWN_TIMEOUT.plus(Scenario.SLACK));
            scenario.faultEnds();
            List<Answer> answers = Crowd.await(surge, ScaleSurge.lastPlannedMs(plan), scenario.timeline());

            // The leaving instance closes its port when it has drained: a refused connection reached nobody,
            // and an attempt sent after the SIGTERM may meet a connection closed at the exit (a load
            // balancer would have taken the pod out of rotation by then; the client retries with its key).
            scenario.tally(answers, a -> a.instance() == 0 && a.status() == Answer.NO_ANSWER && (REFUSED.equals(a.problem()) || a.startMs() >= termMs),
                    ", or no answer from the leaving instance to an attempt that never reached it or came after its SIGTERM,");
            checkInFlightFinished(scenario, answers, termMs);
            checkExit(scenario, exited);
            scenario.recordP99DuringFault(answers);
            scenario.awaitSettledWithinReservationBound(answers);
            scenario.checkRecord(answers);
            scenario.checkRowsWithout201(answers);
            scenario.recordMetrics(stack.services().subList(1, 2));
            scenario.blockedEventLoopWarnings();
            scenario.finish();
        }
    }

    /** Attempts the leaving instance held when SIGTERM came are answered, not dropped. */
    private static void checkInFlightFinished(Scenario scenario, List<Answer> answers, long termMs) {
        List<Answer> held = answers.stream().filter(a -> a.instance() == 0 && a.startMs() < termMs && a.endMs() >= termMs).toList();
        List<Answer> dropped = held.stream()
                .filter(a -> a.status() == Answer.TIMED_OUT || a.status() == Answer.NO_ANSWER && !REFUSED.equals(a.problem())).toList();
        long created = held.stream().filter(Answer::created).count();
        List<Answer> after = answers.stream().filter(a -> a.instance() == 0 && a.startMs() >= termMs).toList();
        Outcome outcome = scenario.outcome();
        outcome.detail("attempts in flight on the leaving instance at SIGTERM", held.size() + " (" + created + " × 201; statuses "
                + Scenario.statuses(held) + ")");
        outcome.detail("attempts sent to the leaving instance after SIGTERM", after.size() + " (statuses " + Scenario.statuses(after) + ")");
        outcome.check("attempts in flight at SIGTERM get an answer (none reset or hung)", !held.isEmpty() && dropped.isEmpty(),
                "≥ 1 in flight, 0 reset or hung (a refused connection reached nobody)", held.isEmpty() ? "none in flight at SIGTERM" : dropped.size() + " dropped of " + held.size());
    }

    private static void checkExit(Scenario scenario, boolean exited) {
        Outcome outcome = scenario.outcome();
        long seconds = scenario.faultEndMs() - scenario.faultStartMs();
        outcome.detail("leaving instance: exit", exited
                ? String.format(Locale.ROOT, "%.1f s after SIGTERM, exit code %d (143 = 128 + SIGTERM, the JVM's status after its shutdown hooks ran)",
                seconds / 1000.0, stack.services().get(0).process().exitCode())
                : "still running");
        outcome.check("the instance exits by itself within quarkus.shutdown.timeout", exited,
                "≤ " + SHUTDOWN_TIMEOUT.toSeconds() + " s (+ " + Scenario.SLACK.toSeconds() + " s slack)",
                exited ? String.format(Locale.ROOT, "%.1f s", seconds / 1000.0) : "did not exit");
    }
}
