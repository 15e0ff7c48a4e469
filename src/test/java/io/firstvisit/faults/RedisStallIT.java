package io.firstvisit.faults;

import io.firstvisit.faults.harness.Answer;
import io.firstvisit.faults.harness.Crowd;
import io.firstvisit.faults.harness.Crowd.Recovery;
import io.firstvisit.faults.harness.Outcome;
import io.firstvisit.faults.harness.Release;
import io.firstvisit.faults.harness.Scenario;
import io.firstvisit.faults.harness.ServiceProcess;
import io.firstvisit.faults.harness.Stack;
import io.firstvisit.faults.harness.Tally;
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
 * Issue 4 §1, fault 4: Redis stops answering (SIGSTOP: sockets stay open, nothing comes back) for a
 * few seconds mid-surge. Redis calls have a 1.5 s timeout and a circuit breaker, so the service must
 * answer 503 fast, never block its event loop, and recover on its own when Redis does.
 */
class RedisStallIT {

    private static final String NAME = "redis-stall";
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
    void stalledRedisGivesFast503sWithoutBlockingTheEventLoopAndRecoversWithoutRestart() {
        Outcome outcome = new Outcome(4, NAME, "Redis stalled (SIGSTOP) mid-surge", RedisStallIT.class,
                "redis-server SIGSTOPped " + (Surges.FAULT_AT_MS - Surges.BURST_AT_MS) + " ms after a burst of " + Surges.BURST
                        + " simultaneous attempts and SIGCONTed " + Surges.REDIS_STALL.toMillis()
                        + " ms later (connections stay open, no reply: a stuck or swapping Redis). Half the crowd sends an "
                        + "Idempotency-Key, half does not. Fault end: SIGCONT.");
        ServiceProcess service = stack.service();
        long pidBefore = service.process().pid();
        try (Scenario scenario = new Scenario(stack, outcome)) {
            Release release = scenario.prepare(Surges.SLOTS, Surges.CAPACITY, Surges.CROWD, Surges.PROBE_CAPACITY, Surges.PROBE_PARENTS);
            // Half the crowd sends no Idempotency-Key, so the report shows which path waits on a stalled Redis.
            List<Crowd.Planned> plan = new ArrayList<>();
            List<Crowd.Planned> keyedPlan = Surges.plan(release, 1);
            for (int i = 0; i < keyedPlan.size(); i++) {
                plan.add(i % 2 == 0 ? keyedPlan.get(i) : keyedPlan.get(i).withoutKey());
            }
            CompletableFuture<List<Answer>> surge = scenario.crowd().fire("surge", plan);

            scenario.timeline().sleepUntil(Surges.FAULT_AT_MS);
            scenario.faultStarts();
            stack.redis().pause();
            scenario.timeline().sleepUntil(scenario.faultStartMs() + Surges.REDIS_STALL.toMillis());
            stack.redis().resume();
            scenario.faultEnds();

            Recovery recovery = scenario.probe(Duration.ofSeconds(30));
            List<Answer> answers = new ArrayList<>(Crowd.await(surge, Surges.lastPlannedMs(plan), scenario.timeline()));
            answers.addAll(recovery.answers());

            scenario.tally(answers, a -> false, "");
            scenario.checkFastDuringFault(answers, Surges.TIMEOUT_ANSWER_P99);
            for (boolean keyed : List.of(true, false)) {
                List<Answer> group = answers.stream()
                        .filter(a -> a.keyed() == keyed && a.startedWithin(scenario.faultStartMs(), scenario.faultEndMs())).toList();
                outcome.detail("during the fault, attempts " + (keyed ? "with" : "without") + " an Idempotency-Key",
                        group.size() + ", p99 " + Tally.p99(group) + " ms, max " + Tally.max(group) + " ms, statuses "
                                + group.stream().collect(java.util.stream.Collectors.groupingBy(Answer::status, java.util.TreeMap::new,
                                java.util.stream.Collectors.counting())));
            }
            int blocked = scenario.blockedEventLoopWarnings();
            outcome.check("the event loop is never blocked", blocked == 0,
                    "no \"has been blocked for\" warning in the service log from the surge on (stall and recovery)", blocked);
            scenario.checkRecovered(recovery, Surges.RECOVERY_BOUND);
            outcome.check("recovers without a restart", service.process().isAlive() && service.process().pid() == pidBefore,
                    "the same instance (pid " + pidBefore + ") still running", service.process().isAlive() ? "pid " + service.process().pid() : "exited");
            scenario.awaitSettledWithinReservationBound(answers);
            scenario.checkRecord(answers);
            scenario.recordMetrics(stack.services());
            scenario.finish();
        }
    }
}
