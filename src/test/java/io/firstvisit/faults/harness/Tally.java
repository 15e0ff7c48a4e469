package io.firstvisit.faults.harness;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/** Counts of what a crowd got back. */
public record Tally(int attempts, int created, int conflicts, int unavailable, int noAnswer, int timedOut,
                   Map<String, Integer> unexpected, int unavailableWithoutRetryAfter) {

    /**
     * @param expected answers that are a correct reply in this scenario besides 201/409/503
     *                 (e.g. "no answer" while the only instance is dead)
     */
    public static Tally of(List<Answer> answers, Predicate<Answer> expected) {
        int created = 0;
        int conflicts = 0;
        int unavailable = 0;
        int noAnswer = 0;
        int timedOut = 0;
        int missingRetryAfter = 0;
        Map<String, Integer> unexpected = new TreeMap<>();
        for (Answer a : answers) {
            switch (a.status()) {
                case 201 -> created++;
                case 503 -> {
                    unavailable++;
                    if (a.retryAfter() == null) {
                        missingRetryAfter++;
                    }
                }
                case Answer.NO_ANSWER -> noAnswer++;
                case Answer.TIMED_OUT -> timedOut++;
                default -> {
                }
            }
            boolean fine409 = a.status() == 409 && ("sold-out".equals(a.problem()) || "already-booked".equals(a.problem()));
            if (fine409) {
                conflicts++;
            }
            boolean fine = a.status() == 201 || a.status() == 503 || fine409 || expected.test(a);
            if (!fine && a.status() != Answer.TIMED_OUT) {
                unexpected.merge(describe(a), 1, Integer::sum);
            }
        }
        return new Tally(answers.size(), created, conflicts, unavailable, noAnswer, timedOut, unexpected, missingRetryAfter);
    }

    public int unexpectedCount() {
        return unexpected.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** The 99th percentile (nearest rank) of the answered attempts' latencies; -1 when there are none. */
    public static long p99(List<Answer> answers) {
        return percentile(answers, 0.99);
    }

    public static long max(List<Answer> answers) {
        return percentile(answers, 1.0);
    }

    private static long percentile(List<Answer> answers, double q) {
        long[] latencies = answers.stream().filter(a -> a.status() != Answer.NO_ANSWER).mapToLong(Answer::latencyMs).sorted().toArray();
        if (latencies.length == 0) {
            return -1;
        }
        int rank = (int) Math.ceil(q * latencies.length);
        return latencies[Math.max(0, Math.min(latencies.length, rank) - 1)];
    }

    private static String describe(Answer a) {
        return switch (a.status()) {
            case Answer.NO_ANSWER -> "no answer (" + a.problem() + ")";
            default -> a.status() + (a.problem() == null ? "" : " " + a.problem());
        };
    }
}
