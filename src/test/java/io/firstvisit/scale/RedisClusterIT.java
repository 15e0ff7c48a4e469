package io.firstvisit.scale;

import io.firstvisit.faults.harness.Answer;
import io.firstvisit.faults.harness.Crowd;
import io.firstvisit.faults.harness.Invariants;
import io.firstvisit.faults.harness.Outcome;
import io.firstvisit.faults.harness.Release;
import io.firstvisit.faults.harness.RedisCluster;
import io.firstvisit.faults.harness.Scenario;
import io.firstvisit.faults.harness.ServiceProcess;
import io.firstvisit.faults.harness.Stack;
import io.firstvisit.faults.harness.Crowd.Recovery;
import io.firstvisit.faults.harness.RedisProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD;

/**
 * Issue 5 §3: the service on a Redis Cluster ({@code quarkus.redis.client-type=cluster}). A 3-master
 * cluster is made with the installed {@code redis-server} and {@code redis-cli --cluster create}; two
 * instances take a surge over six department-days, chosen so that every master owns two of them. Each
 * Lua script touches only keys of one department-day (one hash tag, one slot), so the cluster must never
 * answer CROSSSLOT, and every invariant of the booking core holds. Then, on other dates, one master is
 * killed mid-surge and restarted empty: its department-days are rebuilt from PostgreSQL (I4) and the
 * service's cluster connection is opened again.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RedisClusterIT {

    private static final String NAME = "redis-cluster";
    private static final int MASTERS = 3;
    private static final int INSTANCES = 2;
    private static final int DAYS_PER_MASTER = 2;
    private static final int SLOTS_PER_DAY = 4;
    private static final int CAPACITY = 10;
    /** The restart phase books other department-days, so its checks see only its own bookings. */
    private static final int RESTART_PHASE_DAYS_LATER = 40;
    private static final Duration MASTER_DOWN = Duration.ofSeconds(2);
    private static final long KILL_AFTER_BURST_MS = 100;
    private static final Duration RECOVERY_BOUND = Duration.ofSeconds(10);
    private static Stack stack;

    @BeforeAll
    static void startStack() {
        stack = Stack.startOnCluster(NAME, INSTANCES, MASTERS);
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    @Order(1)
    @Timeout(value = 240, threadMode = SEPARATE_THREAD)
    void surgeOverSeveralDepartmentDaysOnAThreeMasterCluster() {
        Outcome outcome = new Outcome(7, NAME, "Redis Cluster: 3 masters, a surge over six department-days", RedisClusterIT.class,
                "no fault: a " + MASTERS + "-master Redis Cluster (`redis-cli --cluster create`, no replicas) and " + INSTANCES
                        + " instances with `REDIS_CLIENT_TYPE=cluster`; " + DAYS_PER_MASTER * MASTERS + " department-days, "
                        + DAYS_PER_MASTER + " owned by each master; each parent sends two simultaneous attempts for two slots of one "
                        + "department-day, one to each instance. The \"fault\" window is the surge.");
        RedisCluster cluster = stack.cluster();
        try (Scenario scenario = new Scenario(stack, outcome)) {
            List<LocalDate> dates = datesCoveringEveryMaster(cluster, 0, 0);
            Release release = scenario.prepare(dates, SLOTS_PER_DAY, CAPACITY, ScaleSurge.PARENTS, ScaleSurge.PROBE_CAPACITY, 0);
            List<Crowd.Planned> plan = ScaleSurge.doubleTaps(release, INSTANCES, dates.size());
            scenario.faultStarts();
            List<Answer> answers = Crowd.await(scenario.crowd().fire("surge", plan), ScaleSurge.lastPlannedMs(plan), scenario.timeline());
            scenario.faultEnds();

            scenario.checkSurgeWithoutFault(answers);
            checkSpreadOverMasters(outcome, cluster, release);
            checkNoClusterErrors(outcome);
            scenario.recordMetrics(stack.services());
            scenario.blockedEventLoopWarnings();
            scenario.finish();
        }
    }

    @Test
    @Order(2)
    @Timeout(value = 240, threadMode = SEPARATE_THREAD)
    void masterKilledMidSurgeAndRestartedEmptyIsRebuiltFromPostgres() {
        Outcome outcome = new Outcome(9, NAME + "-master-restart", "Redis Cluster: one master killed mid-surge, restarted empty",
                RedisClusterIT.class, "`kill -9` of the master owning the index of known department-days and " + DAYS_PER_MASTER
                        + " of the " + DAYS_PER_MASTER * MASTERS + " department-days (the probe slot's among them), " + KILL_AFTER_BURST_MS + " ms after a burst of " + ScaleSurge.BURST
                        + " double taps; restarted on the same port with its node table but no data " + MASTER_DOWN.toMillis()
                        + " ms later (before the cluster's 5 s node timeout marks it failed). Fault end: every master reports cluster_state:ok.");
        RedisCluster cluster = stack.cluster();
        try (Scenario scenario = new Scenario(stack, outcome)) {
            // The master holding the index of known department-days: losing it must not hide the pending
            // reservations of the days on the other masters from the reaper.
            int victim = cluster.nodeOf(Invariants.knownDaysKey());
            List<LocalDate> dates = datesCoveringEveryMaster(cluster, RESTART_PHASE_DAYS_LATER, victim);
            Release release = scenario.prepare(dates, SLOTS_PER_DAY, CAPACITY, ScaleSurge.PARENTS, ScaleSurge.PROBE_CAPACITY, 60);
            RedisProcess master = cluster.nodes().get(victim);
            List<Crowd.Planned> plan = ScaleSurge.doubleTaps(release, INSTANCES, dates.size());
            CompletableFuture<List<Answer>> surge = scenario.crowd().fire("surge", plan);

            scenario.timeline().sleepUntil(ScaleSurge.BURST_AT_MS + KILL_AFTER_BURST_MS);
            scenario.faultStarts();
            master.kill9();
            scenario.timeline().sleepUntil(scenario.faultStartMs() + MASTER_DOWN.toMillis());
            master.restartEmpty();
            cluster.awaitOk();
            scenario.faultEnds();

            Recovery recovery = scenario.probe(Duration.ofSeconds(30));
            List<Answer> answers = new ArrayList<>(Crowd.await(surge, ScaleSurge.lastPlannedMs(plan), scenario.timeline()));
            answers.addAll(recovery.answers());

            scenario.tally(answers, a -> false, "");
            scenario.recordP99DuringFault(answers);
            scenario.checkRecovered(recovery, RECOVERY_BOUND);
            outcome.detail("killed master", "node " + (victim + 1) + " of " + MASTERS + " (port " + master.port() + ")");
            scenario.awaitSettledWithinReservationBound(answers);
            scenario.checkRecord(answers);
            scenario.checkRowsWithout201(answers);
            scenario.recordMetrics(stack.services());
            scenario.blockedEventLoopWarnings();
            scenario.finish();
        }
    }

    /**
     * The first dates from {@code daysLater} after a week ahead whose hash tags give each master
     * {@link #DAYS_PER_MASTER}, those of master {@code first} first (the probe slot is on the first date).
     */
    static List<LocalDate> datesCoveringEveryMaster(RedisCluster cluster, int daysLater, int first) {
        Map<Integer, List<LocalDate>> byMaster = new TreeMap<>();
        LocalDate date = LocalDate.now(Release.BEIJING).plusDays(7 + daysLater);
        for (int tries = 0; tries < 200 && byMaster.values().stream().mapToInt(List::size).sum() < DAYS_PER_MASTER * MASTERS; tries++) {
            List<LocalDate> owned = byMaster.computeIfAbsent(cluster.nodeOf(Invariants.keys(Release.departmentDay(date)) + "warm"),
                    k -> new ArrayList<>());
            if (owned.size() < DAYS_PER_MASTER) {
                owned.add(date);
            }
            date = date.plusDays(1);
        }
        List<LocalDate> dates = new ArrayList<>();
        List<List<LocalDate>> masters = new ArrayList<>(byMaster.values());
        if (byMaster.containsKey(first)) {
            masters.remove(byMaster.get(first));
            masters.add(0, byMaster.get(first));
        }
        for (int i = 0; i < DAYS_PER_MASTER; i++) {
            for (List<LocalDate> owned : masters) {
                if (i < owned.size()) {
                    dates.add(owned.get(i));
                }
            }
        }
        if (dates.size() != DAYS_PER_MASTER * MASTERS) {
            throw new IllegalStateException("Could not find dates for every master: " + byMaster);
        }
        return dates;
    }

    /** Every master holds inventory keys of the surge: the hash tags really spread the department-days. */
    private static void checkSpreadOverMasters(Outcome outcome, RedisCluster cluster, Release release) {
        List<Long> perNode = new ArrayList<>();
        for (int node = 0; node < cluster.nodes().size(); node++) {
            perNode.add(0L);
        }
        for (String day : release.departmentDays()) {
            List<Long> counts = cluster.keysPerNode(Invariants.keys(day) + "*");
            for (int node = 0; node < counts.size(); node++) {
                perNode.set(node, perNode.get(node) + counts.get(node));
            }
        }
        outcome.detail("surge inventory keys per master", perNode);
        outcome.check("every master holds inventory of the surge", perNode.stream().allMatch(n -> n > 0),
                "> 0 keys on each of " + MASTERS + " masters", perNode);
    }

    /** A script whose keys spanned slots would fail with CROSSSLOT; a client that ignored the cluster, with MOVED. */
    private static void checkNoClusterErrors(Outcome outcome) {
        long errors = 0;
        for (ServiceProcess service : stack.services()) {
            errors += service.logLines("CROSSSLOT").size() + service.logLines("MOVED").size() + service.logLines("CLUSTERDOWN").size();
        }
        outcome.check("no CROSSSLOT, MOVED or CLUSTERDOWN error in the services' logs", errors == 0, "0 lines", errors);
    }
}
