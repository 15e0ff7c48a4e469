package io.firstvisit.load;

import io.firstvisit.testkit.FirstVisitClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The post-run check, run from after() through the API once every virtual user is done:
 * <ul>
 *   <li>no slot has {@code confirmed > capacity} (nor {@code remaining < 0}): nothing was oversold;</li>
 *   <li>each slot confirmed exactly the bookings parents were told "201" for, so the total confirmed
 *       equals the number of distinct 201s: no booking was lost after it was acknowledged, and none
 *       was confirmed without the parent hearing of it;</li>
 *   <li>no patient was told "201" twice for the same department-date;</li>
 *   <li>no patient was told "409 already-booked" without holding a booking that day.</li>
 * </ul>
 * A durable-before-acknowledged service passes at once; the check re-reads for a few seconds
 * ({@code -DcheckSettleSeconds}) only to tell a lagging read model from a lost booking, and reports
 * how long it took.
 */
final class ReleaseAudit {

  record Result(List<String> report, List<String> violations) {
    boolean passed() {
      return violations.isEmpty();
    }
  }

  private ReleaseAudit() {}

  /**
   * For after(): prints what parents were told and what the service holds, then fails the run on
   * any violation. Gatling turns an exception from after() into a non-zero exit ("Failed to execute
   * after hook"), which the Maven plugin reports as a build failure; after() runs before the HTML
   * report is generated, so a failed check leaves only simulation.log (see README).
   */
  static void verify(Release release, Ledger ledger) {
    Duration settle = Duration.ofSeconds(LoadConfig.intProperty("checkSettleSeconds", 5, 0, 120));
    Result result = run(release, ledger, settle);
    System.out.println("================ post-run check, run " + release.config.runId + " ================");
    ledger.summary().forEach(line -> System.out.println("  " + line));
    result.report().forEach(line -> System.out.println("  " + line));
    result.violations().forEach(line -> System.out.println("  VIOLATION " + line));
    System.out.println("  post-run check " + (result.passed() ? "PASSED" : "FAILED (" + result.violations().size() + " violations)"));
    if (!result.passed()) {
      throw new IllegalStateException("post-run check failed: " + result.violations().size() + " violations, first: "
          + result.violations().get(0));
    }
  }

  static Result run(Release release, Ledger ledger, Duration settle) {
    long deadline = System.nanoTime() + settle.toNanos();
    long started = System.nanoTime();
    int reads = 1;
    Result result = checkOnce(release, ledger);
    while (!result.passed() && System.nanoTime() < deadline) {
      sleep(Duration.ofSeconds(1));
      reads++;
      result = checkOnce(release, ledger);
    }
    long tookMs = Duration.ofNanos(System.nanoTime() - started).toMillis();
    result.report().add("check settled after " + tookMs + " ms, " + reads + (reads == 1 ? " read" : " reads")
        + (result.passed() ? "" : " (gave up)"));
    return result;
  }

  private static Result checkOnce(Release release, Ledger ledger) {
    List<String> report = new ArrayList<>();
    List<String> violations = new ArrayList<>();
    Map<String, Long> toldPerSlot = ledger.bookingsPerSlot();
    long confirmedTotal = 0;
    long capacityTotal = 0;
    int fullSlots = 0;
    int unreadable = 0;
    for (String slotId : release.slotIds()) {
      FirstVisitClient.SlotCounts slot;
      try {
        slot = release.api.slotCounts(release.schedulerToken, slotId);
      } catch (RuntimeException e) {
        unreadable++;
        violations.add("slot " + slotId + " could not be checked: " + e.getMessage());
        continue;
      }
      long told = toldPerSlot.getOrDefault(slotId, 0L);
      confirmedTotal += slot.confirmed();
      capacityTotal += slot.capacity();
      if (slot.confirmed() >= slot.capacity()) {
        fullSlots++;
      }
      if (slot.confirmed() > slot.capacity()) {
        violations.add("OVERSOLD slot " + slotId + ": confirmed " + slot.confirmed() + " > capacity " + slot.capacity());
      }
      if (slot.remaining() < 0) {
        violations.add("slot " + slotId + ": remaining " + slot.remaining() + " < 0");
      }
      if (slot.confirmed() != told) {
        violations.add("slot " + slotId + ": confirmed " + slot.confirmed() + " but parents got " + told + " 201s for it");
      }
      if (slot.capacity() != release.config.capacity) {
        report.add("slot " + slotId + " reports capacity " + slot.capacity() + ", published " + release.config.capacity);
      }
    }
    long told = ledger.bookings().size();
    if (unreadable == 0 && confirmedTotal != told) {
      violations.add("confirmed total " + confirmedTotal + " != distinct 201s seen " + told);
    }
    ledger.patientsWithSeveralBookings().forEach((patientDay, bookingIds) ->
        violations.add("patient " + patientDay + " got " + bookingIds.size() + " bookings: " + bookingIds));
    checkAlreadyBookedRefusals(release, ledger, violations, report);
    // Zero bookings would pass every check above; a run that should book something says so.
    int minBookings = LoadConfig.intProperty("minBookings", 0, 0, Integer.MAX_VALUE);
    if (told < minBookings) {
      violations.add("only " + told + " distinct 201s, expected at least " + minBookings + " (-DminBookings)");
    }
    long soldOutParents = ledger.parentsEnding(Ledger.Outcome.SOLD_OUT);
    if (unreadable == 0 && confirmedTotal < capacityTotal && soldOutParents > 0) {
      report.add((capacityTotal - confirmedTotal) + " seats left unconfirmed while " + soldOutParents
          + " parents ended on sold-out (held seats, or inventory lost on a failed booking)");
    }

    report.add(String.format("slots checked %d (full %d), capacity total %d, confirmed total %d, distinct 201s %d",
        release.slotIds().size(), fullSlots, capacityTotal, confirmedTotal, told));
    return new Result(report, violations);
  }

  /**
   * Every patient here is fresh, so "409 already-booked" is only right if the service holds a booking
   * for them that day (e.g. one whose 201 was lost and not replayed, which the totals above also
   * catch). A refusal for a patient with no booking sends a parent away believing they have a place.
   * Skipped when the injection reused patients (CapacityRamp past its pool), where the refusal is due.
   */
  private static void checkAlreadyBookedRefusals(Release release, Ledger ledger, List<String> violations,
                                                 List<String> report) {
    var refused = ledger.refusedAsAlreadyBooked();
    if (refused.isEmpty()) {
      return;
    }
    if (release.patientsReused()) {
      report.add(refused.size() + " already-booked refusals not checked: patients were reused in this run");
      return;
    }
    for (Release.Patient patient : refused) {
      try {
        boolean holds = false;
        for (Object element : release.api.bookingsOf(patient.token(), patient.id())) {
          Map<?, ?> booking = (Map<?, ?>) element;
          holds |= "CONFIRMED".equals(booking.get("status")) && release.isOurs(String.valueOf(booking.get("slotId")));
        }
        if (!holds) {
          violations.add("patient " + patient.id() + " (" + patient.account() + ") was told 409 already-booked"
              + " but holds no confirmed booking on " + release.departmentDay());
        }
      } catch (RuntimeException e) {
        violations.add("patient " + patient.id() + " told already-booked could not be checked: " + e.getMessage());
      }
    }
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
