package io.firstvisit.faults.harness;

import io.firstvisit.faults.harness.Crowd.Recovery;
import io.firstvisit.faults.harness.Release.PublishedSlot;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.function.Predicate;

/**
 * One run of one fault scenario: the release and crowd on a {@link Stack}, the moments the fault began
 * and ended, and the checks every scenario shares. The IT classes only tell their fault's story.
 */
public final class Scenario implements AutoCloseable {

    /** Bookings on a fresh stack before the measured surge, per instance (JIT, class loading, pools). */
    private static final int WARM_UP_BOOKINGS = 20;
    /** Written into every service log when setup is done: what follows is the measured part. */
    private static final String SURGE_MARKER = "setup done, the surge starts";
    private static final String BLOCKED = "has been blocked for";
    /** The window before a fault whose latencies are the "fast enough" baseline. */
    private static final Duration BASELINE = Duration.ofSeconds(2);
    /** Slack on top of documented bounds for scheduling jitter on a loaded 2-core machine. */
    public static final Duration SLACK = Duration.ofSeconds(3);

    private final Stack stack;
    private final Outcome outcome;
    /** Starts when {@link #prepare} is done: the surge plans and the fault times are relative to it. */
    private Timeline timeline;
    private Release release;
    private Crowd crowd;
    private boolean recorded;
    private long faultStartMs = -1;
    private long faultEndMs = -1;

    public Scenario(Stack stack, Outcome outcome) {
        this.stack = stack;
        this.outcome = outcome;
    }

    /** Publishes the release, creates the crowd and warms every instance up. */
    public Release prepare(int slots, int capacity, int crowdSize, int probeCapacity, int probeParents) {
        return prepare(List.of(java.time.LocalDate.now(Release.BEIJING).plusDays(7)), slots, capacity, crowdSize, probeCapacity, probeParents);
    }

    /** The same over several dates: {@code slots} slots on each (one department-day, one hash tag, per date). */
    public Release prepare(List<java.time.LocalDate> dates, int slots, int capacity, int crowdSize, int probeCapacity, int probeParents) {
        long setupStart = System.nanoTime();
        release = Release.publish(stack.service().baseUrl(), stack.scenario(), dates, slots, capacity, crowdSize, probeCapacity, probeParents);
        List<String> urls = stack.baseUrls();
        for (int i = 0; i < urls.size(); i++) {
            Release.warmUp(urls.get(i), stack.scenario() + "-i" + i, WARM_UP_BOOKINGS);
        }
        stack.services().forEach(service -> service.process().note(SURGE_MARKER));
        timeline = new Timeline();
        crowd = new Crowd(timeline, urls);
        outcome.detail("setup through the API (doctor, slots, parents, warm-up)",
                String.format(java.util.Locale.ROOT, "%.1f s", (System.nanoTime() - setupStart) / 1e9));
        outcome.detail("release", dates.size() * slots + " slots × capacity " + capacity + " = " + release.seats() + " seats on "
                + dates.size() + " department-day(s), "
                + crowdSize + " parents in the crowd; probe slot capacity " + probeCapacity + ", "
                + urls.size() + " instance(s)");
        return release;
    }

    public Timeline timeline() {
        return timeline;
    }

    public Crowd crowd() {
        return crowd;
    }

    public Release release() {
        return release;
    }

    public Outcome outcome() {
        return outcome;
    }

    public void faultStarts() {
        faultStartMs = timeline.nowMs();
    }

    public void faultEnds() {
        faultEndMs = timeline.nowMs();
        outcome.detail("fault window (ms on the scenario clock)", faultStartMs + " → " + faultEndMs
                + " (" + (faultEndMs - faultStartMs) + " ms)");
    }

    public long faultStartMs() {
        return faultStartMs;
    }

    public long faultEndMs() {
        return faultEndMs;
    }

    /** Books fresh parents on the probe slot until one gets a 201; recovery is measured from the fault's end. */
    public Recovery probe(Duration within) {
        return crowd.probeUntilBooked(release.probeParents().iterator(), release.probeSlot().id(), within, Duration.ofMillis(250));
    }

    /** Counts answers into the table and checks that only expected answers came, none hung, every 503 says when to retry. */
    public Tally tally(List<Answer> answers, Predicate<Answer> alsoExpected, String alsoExpectedText) {
        saveAnswers(answers);
        Tally tally = Tally.of(answers, alsoExpected);
        outcome.column("attempts", tally.attempts()).column("201", tally.created()).column("409", tally.conflicts())
                .column("503", tally.unavailable()).column("no answer", tally.noAnswer()).column("timed out", tally.timedOut())
                .column("unexpected", tally.unexpectedCount());
        outcome.check("only 201, 409 sold-out/already-booked, 503" + alsoExpectedText + " are answered",
                tally.unexpectedCount() == 0, "none else", tally.unexpected().isEmpty() ? "none" : tally.unexpected());
        outcome.check("no request hangs", tally.timedOut() == 0,
                "0 attempts without an answer within the " + Crowd.CLIENT_TIMEOUT.toSeconds() + " s client timeout", tally.timedOut());
        outcome.check("every 503 carries Retry-After", tally.unavailableWithoutRetryAfter() == 0, "0 without",
                tally.unavailableWithoutRetryAfter());
        return tally;
    }

    /**
     * Answers to attempts started during the fault come fast: their p99 is at most {@code floor} or the
     * p99 of the answers that came back in the {@link #BASELINE} before the fault, whichever is larger. A dependency that
     * is down must not make answers slower than they already were (on a loaded machine they may already
     * be slow); waiting for the dependency to return would show as latencies of the outage's length.
     */
    public void checkFastDuringFault(List<Answer> answers, Duration floor) {
        List<Answer> during = answers.stream().filter(a -> a.startedWithin(faultStartMs, faultEndMs)).toList();
        // Answers that came back before the fault began: how fast the service was, untouched by the fault.
        List<Answer> before = answers.stream()
                .filter(a -> a.status() != Answer.NO_ANSWER && a.endMs() >= faultStartMs - BASELINE.toMillis() && a.endMs() < faultStartMs)
                .toList();
        long p99 = Tally.p99(during);
        long baseline = Tally.p99(before);
        long limit = Math.max(floor.toMillis(), baseline);
        outcome.column("p99 in fault (ms)", p99);
        outcome.detail("answers to attempts started during the fault", during.size() + " (max latency " + Tally.max(during)
                + " ms; statuses " + statuses(during) + ")");
        outcome.detail("p99 of the answers that came back in the " + BASELINE.toSeconds() + " s before the fault (baseline)",
                baseline + " ms over " + before.size());
        outcome.check("answers during the fault are fast", !during.isEmpty() && p99 >= 0 && p99 <= limit,
                "p99 ≤ max(" + floor.toMillis() + " ms, baseline p99 " + baseline + " ms) = " + limit + " ms",
                during.isEmpty() ? "no attempts during the fault" : p99 + " ms");
    }

    public void recordP99DuringFault(List<Answer> answers) {
        List<Answer> during = answers.stream().filter(a -> a.startedWithin(faultStartMs, faultEndMs)).toList();
        long p99 = Tally.p99(during);
        outcome.column("p99 in fault (ms)", p99 < 0 ? null : p99);
        outcome.detail("answers to attempts started during the fault", during.size() + " (statuses " + statuses(during) + ")");
    }

    /** Bookings resume: the probe gets a 201 within {@code within} of the fault's end. */
    public void checkRecovered(Recovery recovery, Duration within) {
        double seconds = recovery.booked() ? (recovery.bookedAtMs() - faultEndMs) / 1000.0 : -1;
        outcome.column("recovery (s)", recovery.booked() ? seconds : null);
        outcome.detail("recovery probe", recovery.answers().size() + " attempt(s): " + statuses(recovery.answers()));
        outcome.check("bookings resume after the fault", recovery.booked() && seconds <= within.toSeconds(),
                "a probe 201 within " + within.toSeconds() + " s of the fault's end",
                recovery.booked() ? String.format(java.util.Locale.ROOT, "%.1f s", seconds) : "no 201");
    }

    /**
     * Polls until the inventory is consistent (see {@link Invariants.Inventory#problems()}) or until
     * {@code deadlineMs}; the settled column is measured from the fault's end.
     */
    public Invariants.Inventory awaitSettled(long deadlineMs, String bound) {
        Invariants.Inventory inventory;
        // The first instance that is still running (an instance may have been stopped for good).
        String adminUrl = stack.services().stream().filter(service -> service.process().isAlive()).findFirst()
                .orElse(stack.service()).baseUrl();
        while (true) {
            inventory = Invariants.inventory(stack, release, adminUrl);
            if (inventory.consistent() || timeline.nowMs() >= deadlineMs) {
                break;
            }
            Commands.pause(Duration.ofMillis(250));
        }
        long at = timeline.nowMs();
        boolean settled = inventory.consistent();
        outcome.column("settled (s)", settled ? (at - faultEndMs) / 1000.0 : null);
        outcome.check("inventory settles: Redis free seats + PostgreSQL held seats = 1..capacity, remaining = capacity − active, nothing pending",
                settled, "by " + bound, settled ? String.format(java.util.Locale.ROOT, "%.1f s after the fault's end", (at - faultEndMs) / 1000.0)
                        : inventory.problems());
        return inventory;
    }

    /**
     * I3's bound: the last reservation was taken no later than the later of the fault's end and the last
     * answer; its deadline is the reservation timeout after that, and a reaper looks every interval.
     */
    public Invariants.Inventory awaitSettledWithinReservationBound(List<Answer> answers) {
        long lastAnswer = answers.stream().mapToLong(Answer::endMs).max().orElse(faultEndMs);
        long from = Math.max(faultEndMs, lastAnswer);
        long deadline = from + Stack.RESERVATION_TIMEOUT.toMillis() + Stack.REAPER_INTERVAL.toMillis() + SLACK.toMillis();
        return awaitSettled(deadline, "max(fault end, last answer) + reservation timeout " + Stack.RESERVATION_TIMEOUT.toSeconds()
                + " s + reaper interval " + Stack.REAPER_INTERVAL.toSeconds() + " s + " + SLACK.toSeconds() + " s slack = "
                + String.format(java.util.Locale.ROOT, "%.1f s after the fault's end", (deadline - faultEndMs) / 1000.0));
    }

    /** I1, I2 and the one-booking-per-day rule, read from PostgreSQL. */
    public void checkRecord(List<Answer> answers) {
        Set<String> acknowledged = new HashSet<>();
        answers.stream().filter(Answer::created).map(Answer::bookingId).forEach(acknowledged::add);
        Set<String> confirmed = Invariants.confirmed(stack.postgres(), acknowledged);
        List<String> lost = acknowledged.stream().filter(id -> !confirmed.contains(id)).sorted().toList();
        List<String> slotIds = release.allSlots().stream().map(PublishedSlot::id).toList();
        Set<String> active = Invariants.activeBookings(stack.postgres(), slotIds);
        long withoutAnswer = active.stream().filter(id -> !acknowledged.contains(id)).count();
        Map<String, Integer> held = Invariants.activePerSlot(stack.postgres(), slotIds);
        long oversold = 0;
        List<String> over = new ArrayList<>();
        for (PublishedSlot slot : release.allSlots()) {
            int n = held.getOrDefault(slot.id(), 0);
            if (n > slot.capacity()) {
                oversold += n - slot.capacity();
                over.add(slot.id() + ": " + n + "/" + slot.capacity());
            }
        }
        long twice = Invariants.patientsBookedTwice(stack.postgres());
        outcome.column("oversold", oversold).column("lost 201s", lost.size()).column("rows without 201", withoutAnswer);
        outcome.detail("active bookings in PostgreSQL (surge + probe slots)", active.size() + " of " + (release.seats() + release.probeSlot().capacity()) + " seats");
        outcome.check("every 201 has its CONFIRMED row (I2)", lost.isEmpty(), "0 lost", lost.isEmpty() ? 0 : lost.size() + " " + lost);
        outcome.check("no slot over capacity (I1)", oversold == 0, "0 oversold", over.isEmpty() ? 0 : over);
        outcome.check("one active booking per patient per department-day", twice == 0, "0 patients twice", twice);
    }

    /**
     * I2 is checked by {@link #checkRecord}. A row may also exist for an attempt whose answer was lost or
     * was a 503 (its commit landed after a timeout; a retry with the same key replays it) — but never for
     * more attempts than got no definitive answer.
     */
    public void checkRowsWithout201(List<Answer> answers) {
        long created = answers.stream().filter(Answer::created).count();
        Set<String> active = Invariants.activeBookings(stack.postgres(), release.allSlots().stream().map(PublishedSlot::id).toList());
        long undecided = answers.stream().filter(a -> !a.created() && a.status() != 409).count();
        outcome.check("rows without a 201 only for attempts without a definitive answer",
                active.size() - created <= undecided, "≤ " + undecided + " (503 or no answer)",
                (active.size() - created) + " rows without a 201");
    }

    /**
     * After the surge, every instance serves a request that needs Redis and PostgreSQL again (the admin
     * counts of a slot), within {@code within}. A burst on this shared 2-core machine can make an
     * instance answer 503 for a while (Redis calls past their 1.5 s budget open its breaker for 2 s:
     * the 503 column shows how many); an instance that never comes back is a defect. This caught the
     * pooled Redis Cluster client deadlocking.
     */
    public void checkEveryInstanceServesAfterTheSurge(Duration within) {
        String slotId = release.slots().get(0).id();
        List<String> late = new ArrayList<>();
        List<Long> after = new ArrayList<>();
        for (ServiceProcess service : stack.services()) {
            long start = timeline.nowMs();
            long deadline = start + within.toMillis();
            boolean served = false;
            while (!served && timeline.nowMs() < deadline) {
                try {
                    Release.slotCounts(service.baseUrl(), slotId);
                    served = true;
                } catch (RuntimeException notYet) {
                    Commands.pause(Duration.ofMillis(200));
                }
            }
            after.add(served ? timeline.nowMs() - start : -1);
            if (!served) {
                late.add(service.process().name());
            }
        }
        outcome.detail("after the surge, ms until each instance served the admin counts", after);
        outcome.check("every instance serves again after the surge", late.isEmpty(),
                "each within " + within.toSeconds() + " s", late.isEmpty() ? "all" : "not: " + late);
    }

    /**
     * The checks of a surge without a fault, on one or more instances: only designed answers, every
     * instance serving again after it, the inventory settles, I1/I2 and one booking per day hold, no
     * row without its answer beyond the attempts that got none, and which instances won (recorded).
     */
    public void checkSurgeWithoutFault(List<Answer> answers) {
        tally(answers, a -> false, "");
        recordP99DuringFault(answers);
        checkEveryInstanceServesAfterTheSurge(Duration.ofSeconds(10));
        awaitSettledWithinReservationBound(answers);
        checkRecord(answers);
        checkRowsWithout201(answers);
        recordInstancesThatBooked(answers);
    }

    /** Which instances confirmed bookings depends on scheduling, not on correctness: recorded, not asserted. */
    public void recordInstancesThatBooked(List<Answer> answers) {
        long instances = answers.stream().filter(Answer::created).mapToInt(Answer::instance).distinct().count();
        outcome.detail("instances that confirmed bookings", instances + " of " + stack.services().size());
    }

    /** Service-side counters worth reading next to the table; the reconciler's drift only if this build has it. */
    public void recordMetrics(List<ServiceProcess> instances) {
        Map<String, String> metrics = new LinkedHashMap<>();
        for (String name : List.of("firstvisit_inventory_drift_total", "firstvisit_reservations_expired_total",
                "firstvisit_reservations_settled_total", "firstvisit_inventory_rebuilds_total")) {
            double sum = 0;
            boolean seen = false;
            for (ServiceProcess instance : instances) {
                OptionalDouble value = instance.metric(name);
                if (value.isPresent()) {
                    sum += value.getAsDouble();
                    seen = true;
                }
            }
            metrics.put(name, seen ? Long.toString(Math.round(sum)) : "n/a (not exposed by the running instance(s))");
        }
        metrics.forEach(outcome::detail);
    }

    /**
     * "has been blocked for" warnings of Vert.x (an event-loop thread busy for over 2 s) from the start of
     * the surge on; those during start-up and setup are recorded apart, as they are not the fault's doing.
     */
    public int blockedEventLoopWarnings() {
        int all = 0;
        int sinceSurge = 0;
        for (ServiceProcess instance : stack.services()) {
            all += instance.logLines(BLOCKED).size();
            sinceSurge += instance.logLines(BLOCKED, SURGE_MARKER).size();
        }
        outcome.detail("event-loop \"" + BLOCKED + "\" warnings from the surge on", sinceSurge);
        outcome.detail("event-loop \"" + BLOCKED + "\" warnings during start-up and setup (cold JVM)", all - sinceSurge);
        return sinceSurge;
    }

    /** Records the outcome (results.json and docs/reliability.md), then fails on any check that did not hold. */
    public void finish() {
        record();
        outcome.assertAllHeld();
    }

    private void record() {
        recorded = true;
        ReliabilityReport.record(outcome, (System.nanoTime() - stack.startedNanos()) / 1e9);
    }

    /** Every answer as CSV next to the logs, to see what happened when (the fault window is in the details). */
    private void saveAnswers(List<Answer> answers) {
        StringBuilder csv = new StringBuilder("phase,instance,keyed,start_ms,end_ms,status,problem,retry_after,slot,patient,booking\n");
        answers.stream().sorted(java.util.Comparator.comparingLong(Answer::startMs)).forEach(a -> csv.append(String.join(",",
                a.phase(), Integer.toString(a.instance()), Boolean.toString(a.keyed()), Long.toString(a.startMs()), Long.toString(a.endMs()),
                Integer.toString(a.status()), String.valueOf(a.problem()), String.valueOf(a.retryAfter()), a.slotId(),
                a.patientId(), String.valueOf(a.bookingId()))).append('\n'));
        try {
            java.nio.file.Files.writeString(stack.logDir().resolve("answers.csv"), csv);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Answers counted by status: {201=…, 409=…, no answer=…}. */
    public static String statuses(List<Answer> answers) {
        Map<String, Integer> counts = new java.util.TreeMap<>();
        for (Answer a : answers) {
            String key = switch (a.status()) {
                case Answer.NO_ANSWER -> "no answer";
                case Answer.TIMED_OUT -> "timed out";
                default -> Integer.toString(a.status());
            };
            counts.merge(key, 1, Integer::sum);
        }
        return counts.toString();
    }

    /** A run that threw before its checks is recorded too, as a failure: the history must not hide it. */
    @Override
    public void close() {
        if (crowd != null) {
            crowd.close();
        }
        if (!recorded) {
            outcome.check("the scenario ran to its checks", false, "yes",
                    "no: aborted by an exception (see the failsafe report and target/faults/" + stack.scenario() + "/)");
            record();
        }
    }
}
