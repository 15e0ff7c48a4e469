package io.firstvisit.faults.harness;

import io.firstvisit.faults.harness.Release.PublishedSlot;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads the record (PostgreSQL, over JDBC) and the admission gate (Redis, over RESP) directly, so the
 * checks never take the service's word for anything except {@code remaining}, which is what operators
 * read (GET /api/v1/admin/slots/{id}).
 */
public final class Invariants {

    private static final String KEY_PREFIX = "fv";

    private Invariants() {
    }

    /** Booking ids among {@code ids} that have a CONFIRMED row. */
    public static Set<String> confirmed(PostgresProcess postgres, Collection<String> ids) {
        return strings(postgres, "SELECT id::text FROM booking WHERE status = 'CONFIRMED' AND id = ANY(?::uuid[])", ids);
    }

    /** Ids of the CONFIRMED bookings of these slots. */
    public static Set<String> activeBookings(PostgresProcess postgres, Collection<String> slotIds) {
        return strings(postgres, "SELECT id::text FROM booking WHERE status = 'CONFIRMED' AND slot_id = ANY(?::uuid[])", slotIds);
    }

    /** Active (CONFIRMED) bookings per slot, from PostgreSQL alone. */
    public static Map<String, Integer> activePerSlot(PostgresProcess postgres, Collection<String> slotIds) {
        Map<String, Integer> counts = new HashMap<>();
        heldSeats(postgres, slotIds).forEach((slot, seats) -> counts.put(slot, seats.size()));
        return counts;
    }

    /** Active (CONFIRMED) bookings of one account, whichever of its patients they are for. */
    public static long activeOfAccount(PostgresProcess postgres, String account) {
        try (Connection db = postgres.connect();
             PreparedStatement query = db.prepareStatement("SELECT count(*) FROM booking WHERE status = 'CONFIRMED' AND account_id = ?")) {
            query.setString(1, account);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Patients holding more than one active booking in one department on one date (anywhere in the database). */
    public static long patientsBookedTwice(PostgresProcess postgres) {
        try (Connection db = postgres.connect();
             ResultSet rows = db.createStatement().executeQuery("""
                     SELECT count(*) FROM (SELECT 1 FROM booking WHERE status = 'CONFIRMED'
                      GROUP BY patient_id, department_id, visit_date HAVING count(*) > 1) twice""")) {
            rows.next();
            return rows.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The state of every slot of a release, in PostgreSQL, in Redis and as the admin API shows it. */
    public record SlotState(PublishedSlot slot, List<Integer> activeSeats, List<Integer> freeSeats, int remaining) {

        public long active() {
            return activeSeats.size();
        }

        public long oversold() {
            return Math.max(active() - slot.capacity(), 0);
        }

        /** Free + held seats are exactly 1..capacity, each once, and the API agrees. */
        public List<String> problems() {
            List<String> problems = new ArrayList<>();
            int capacity = slot.capacity();
            if (remaining != capacity - active()) {
                problems.add("remaining " + remaining + " != capacity " + capacity + " - active " + active());
            }
            Set<Integer> free = new HashSet<>(freeSeats);
            if (free.size() != freeSeats.size()) {
                problems.add("a seat is listed free twice: " + freeSeats);
            }
            Set<Integer> overlap = new TreeSet<>(free);
            overlap.retainAll(new HashSet<>(activeSeats));
            if (!overlap.isEmpty()) {
                problems.add("seats both free in Redis and held in PostgreSQL: " + overlap);
            }
            if (freeSeats.size() + activeSeats.size() != capacity) {
                problems.add(freeSeats.size() + " free + " + activeSeats.size() + " held != capacity " + capacity);
            }
            return problems;
        }
    }

    public record Inventory(List<SlotState> slots, long pending, long holders, String unreadable) {

        public long active() {
            return slots.stream().mapToLong(SlotState::active).sum();
        }

        public long oversold() {
            return slots.stream().mapToLong(SlotState::oversold).sum();
        }

        /** Nothing in flight, every seat accounted for, one holder per active booking. */
        public List<String> problems() {
            List<String> problems = new ArrayList<>();
            if (unreadable != null) {
                problems.add(unreadable);
                return problems;
            }
            if (pending != 0) {
                problems.add(pending + " reservation(s) still pending");
            }
            if (holders != active()) {
                problems.add(holders + " holders in Redis != " + active() + " active bookings");
            }
            for (SlotState slot : slots) {
                slot.problems().forEach(p -> problems.add("slot " + slot.slot().id() + ": " + p));
            }
            return problems;
        }

        public boolean consistent() {
            return problems().isEmpty();
        }
    }

    /** One read of everything; if PostgreSQL, Redis or the API cannot answer, says so instead of throwing. */
    public static Inventory inventory(Stack stack, Release release, String baseUrl) {
        try {
            List<String> ids = release.allSlots().stream().map(PublishedSlot::id).toList();
            Map<String, List<Integer>> held = heldSeats(stack.postgres(), ids);
            RedisAccess redis = stack.redisAccess();
            List<SlotState> slots = new ArrayList<>();
            for (PublishedSlot slot : release.allSlots()) {
                List<Integer> free = redis.strings("LRANGE", keys(slot.departmentDay()) + "seats:" + slot.id(), "0", "-1")
                        .stream().map(Integer::valueOf).toList();
                int remaining = Release.slotCounts(baseUrl, slot.id()).remaining();
                slots.add(new SlotState(slot, held.getOrDefault(slot.id(), List.of()), free, remaining));
            }
            long pending = 0;
            long holders = 0;
            for (String day : release.departmentDays()) {
                pending += redis.integer("ZCARD", keys(day) + "pending");
                holders += redis.integer("HLEN", keys(day) + "holders");
            }
            return new Inventory(slots, pending, holders, null);
        } catch (RuntimeException e) {
            return new Inventory(List.of(), 0, 0, "not readable yet: " + e.getMessage());
        }
    }

    /** The reservation ids waiting for their commit right now (the reaper's work list). */
    public static List<String> pendingReservations(Stack stack, Release release) {
        List<String> pending = new ArrayList<>();
        for (String day : release.departmentDays()) {
            pending.addAll(stack.redisAccess().strings("ZRANGE", keys(day) + "pending", "0", "-1"));
        }
        return pending;
    }

    /** The index of known department-days (InventoryKeys.knownDays): one key, so one master on a cluster. */
    public static String knownDaysKey() {
        return KEY_PREFIX + ":days";
    }

    /** The prefix of one department-day's inventory keys; the braces make it the cluster hash tag. */
    public static String keys(String departmentDay) {
        return KEY_PREFIX + ":{" + departmentDay + "}:";
    }

    private static Map<String, List<Integer>> heldSeats(PostgresProcess postgres, Collection<String> slotIds) {
        Map<String, List<Integer>> held = new HashMap<>();
        try (Connection db = postgres.connect();
             PreparedStatement query = db.prepareStatement(
                     "SELECT slot_id::text, seat FROM booking WHERE status = 'CONFIRMED' AND slot_id = ANY(?::uuid[])")) {
            query.setArray(1, uuids(db, slotIds));
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    held.computeIfAbsent(rows.getString(1), k -> new ArrayList<>()).add(rows.getInt(2));
                }
            }
            return held;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Set<String> strings(PostgresProcess postgres, String sql, Collection<String> ids) {
        Set<String> found = new HashSet<>();
        if (ids.isEmpty()) {
            return found;
        }
        try (Connection db = postgres.connect(); PreparedStatement query = db.prepareStatement(sql)) {
            query.setArray(1, uuids(db, ids));
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    found.add(rows.getString(1));
                }
            }
            return found;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Array uuids(Connection db, Collection<String> ids) throws SQLException {
        return db.createArrayOf("text", ids.toArray());
    }
}
