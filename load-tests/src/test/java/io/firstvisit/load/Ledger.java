package io.firstvisit.load;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;

/**
 * What the virtual users were told, written concurrently by them and read by the post-run check:
 * every 201 (by booking id, per slot, per patient and department-date), every answer by kind, and
 * how each parent's attempt ended.
 */
final class Ledger {

  /** How one parent's tapping ended. */
  enum Outcome {
    /** Got a 201. */
    BOOKED,
    /** Every slot of the release was full, or k sold-outs in a row. */
    SOLD_OUT,
    /** The service said this child already has a booking that day. */
    ALREADY_BOOKED,
    /** Still not open after k waits for releaseAt. */
    NOT_OPEN,
    /** Still told to come back later (429/503/no answer) after k retries, or asked to wait too long. */
    GAVE_UP,
    /** An answer the protocol does not allow here (400, 404, 422, other 5xx). */
    FAILED
  }

  record Booking(String id, String patientId, String slotId) {}

  private final Map<String, Booking> bookings = new ConcurrentHashMap<>();
  private final Map<String, Set<String>> bookingIdsByPatientDay = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> answers = new ConcurrentSkipListMap<>();
  private final Map<Outcome, LongAdder> outcomes = new ConcurrentSkipListMap<>();
  private final LongAdder created = new LongAdder();
  private final Queue<Release.Patient> refusedAsAlreadyBooked = new ConcurrentLinkedQueue<>();

  /** A 201. A replay of the same Idempotency-Key returns the same booking id and is counted once. */
  void booked(String bookingId, String patientId, String departmentDay, String slotId) {
    created.increment();
    bookings.putIfAbsent(bookingId, new Booking(bookingId, patientId, slotId));
    bookingIdsByPatientDay.computeIfAbsent(patientId + " " + departmentDay, key -> ConcurrentHashMap.newKeySet())
        .add(bookingId);
  }

  /** A 409 already-booked; the post-run check asks the service whether that patient really holds a booking. */
  void refusedAsAlreadyBooked(Release.Patient patient) {
    refusedAsAlreadyBooked.add(patient);
  }

  Collection<Release.Patient> refusedAsAlreadyBooked() {
    return List.copyOf(refusedAsAlreadyBooked);
  }

  /** Counts an answer by a readable label such as {@code "POST booking 409 sold-out"}. */
  void answer(String label) {
    answers.computeIfAbsent(label, key -> new LongAdder()).increment();
  }

  void ended(Outcome outcome) {
    outcomes.computeIfAbsent(outcome, key -> new LongAdder()).increment();
  }

  long parentsEnding(Outcome outcome) {
    LongAdder count = outcomes.get(outcome);
    return count == null ? 0 : count.sum();
  }

  /** Every 201 received, replays included. */
  long createdResponses() {
    return created.sum();
  }

  Collection<Booking> bookings() {
    return bookings.values();
  }

  Map<String, Long> bookingsPerSlot() {
    return bookings.values().stream().collect(Collectors.groupingBy(Booking::slotId, Collectors.counting()));
  }

  /** Patients (with their department-date) that were told "201" for more than one booking. */
  Map<String, Set<String>> patientsWithSeveralBookings() {
    Map<String, Set<String>> several = new ConcurrentSkipListMap<>();
    bookingIdsByPatientDay.forEach((patientDay, ids) -> {
      if (ids.size() > 1) {
        several.put(patientDay, Set.copyOf(ids));
      }
    });
    return several;
  }

  List<String> summary() {
    List<String> lines = new ArrayList<>();
    if (!outcomes.isEmpty()) {
      lines.add(String.format("201 Created responses: %d (distinct bookings: %d)", createdResponses(), bookings.size()));
    }
    outcomes.forEach((outcome, count) -> lines.add(String.format("parents ending %-15s %d", outcome, count.sum())));
    answers.forEach((label, count) -> lines.add(String.format("answer %-40s %d", label, count.sum())));
    return lines;
  }
}
