package io.firstvisit.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One parent at the release, as the app should behave: look at availability, pick an open slot at
 * random (so parents spread over the slots instead of all hitting the first), book it, and react to
 * each refusal. Every kind of retry is bounded by k ({@code -Dretries}), so a parent always ends.
 *
 * <p>Lives in one virtual user's session; a virtual user runs its actions one at a time, so the
 * mutable state needs no locking.
 */
final class Parent {

  private static final ObjectMapper JSON = new ObjectMapper();
  /** A request that got no answer (timeout, reset) is retried like a 503 without Retry-After. */
  private static final Duration NO_ANSWER_BACKOFF = Duration.ofSeconds(1);
  /** Even when our clock says the release is open, a not-open answer is not retried in a hot loop. */
  private static final Duration MIN_NOT_OPEN_WAIT = Duration.ofMillis(50);

  private final Release release;
  private final Ledger ledger;
  private final Release.Patient patient;
  private final int retries;
  private final int retryAfterCapSeconds;

  private String slotId;
  /** The waiting room's ticket once ADMITTED (QUEUE releases); empty on a first-come release. */
  private String admissionTicket = "";
  // One key per attempt: a retry after 429/503/no answer reuses it, so a booking that was made but whose
  // answer was lost is replayed instead of made twice; after a final answer (409) the next try gets a new key.
  private String idempotencyKey;
  private String attempt = "POST booking";
  private Duration wait = Duration.ZERO;
  private Ledger.Outcome outcome;
  private int soldOuts;
  private int notOpenWaits;
  private int backoffs;

  Parent(Release release, Ledger ledger) {
    this.release = release;
    this.ledger = ledger;
    this.patient = release.nextPatient();
    this.retries = release.config.retries;
    this.retryAfterCapSeconds = release.config.retryAfterCapSeconds;
  }

  boolean stillTrying() {
    return outcome == null;
  }

  boolean wantsAvailability() {
    return outcome == null && slotId == null;
  }

  boolean wantsToBook() {
    return outcome == null && slotId != null;
  }

  /** The pause before the next step; zero unless a refusal asked us to wait. */
  Duration takeWait() {
    Duration next = wait;
    wait = Duration.ZERO;
    return next;
  }

  String authorization() {
    return "Bearer " + patient.token();
  }

  String idempotencyKey() {
    return idempotencyKey;
  }

  int retries() {
    return retries;
  }

  String admissionTicket() {
    return admissionTicket;
  }

  void admitted(String ticketId) {
    this.admissionTicket = ticketId;
  }

  /** The waiting room ended this parent's try before a booking: sold out, an expired pass, or an error. */
  void leftTheQueue(Ledger.Outcome why) {
    end(why);
  }

  /** Request name in the report: first tries, tries on another slot and retries are timed apart. */
  String attempt() {
    return attempt;
  }

  String bookingBody() {
    ObjectNode body = JSON.createObjectNode();
    body.put("slotId", slotId);
    body.put("patientId", patient.id());
    return body.toString();
  }

  void onAvailability(Integer status, List<Object> openIds, List<Object> upcomingIds, String body, String retryAfter) {
    if (status == null) {
      ledger.answer("GET availability no answer");
      backOff(null);
      return;
    }
    switch (status) {
      case 200 -> {
        List<String> open = ours(openIds);
        if (!open.isEmpty()) {
          ledger.answer("GET availability 200 open");
          choose(open.get(ThreadLocalRandom.current().nextInt(open.size())));
        } else if (!ours(upcomingIds).isEmpty()) {
          ledger.answer("GET availability 200 upcoming");
          waitForRelease(release.releaseAt());
        } else {
          ledger.answer("GET availability 200 all full");
          end(Ledger.Outcome.SOLD_OUT);
        }
      }
      case 429, 503 -> {
        ledger.answer("GET availability " + status + describe(parse(body)));
        backOff(retryAfter);
      }
      default -> {
        ledger.answer("GET availability " + status + describe(parse(body)));
        end(Ledger.Outcome.FAILED);
      }
    }
  }

  void onBooking(Integer status, String body, String retryAfter) {
    if (status == null) {
      ledger.answer("POST booking no answer");
      backOff(null);
      return;
    }
    JsonNode json = parse(body);
    String problem = problemCode(json);
    ledger.answer("POST booking " + status + (status == 201 ? "" : describe(json)));
    switch (status) {
      case 201 -> {
        String bookingId = json.path("id").asText("");
        if (bookingId.isEmpty()) {
          ledger.answer("POST booking 201 without id");
          bookingId = "no-id-" + UUID.randomUUID();
        }
        ledger.booked(bookingId, patient.id(), release.departmentDay(), slotId);
        end(Ledger.Outcome.BOOKED);
      }
      case 409 -> onConflict(problem, json);
      case 429, 503 -> backOff(retryAfter);
      default -> end(Ledger.Outcome.FAILED);
    }
  }

  private void onConflict(String problem, JsonNode json) {
    switch (problem == null ? "" : problem) {
      case "sold-out" -> {
        if (++soldOuts > retries) {
          end(Ledger.Outcome.SOLD_OUT);
        } else {
          slotId = null; // look again: the app refreshes the list after "sold out"
        }
      }
      case "not-open" -> waitForRelease(releaseAtIn(json));
      case "already-booked" -> {
        ledger.refusedAsAlreadyBooked(patient);
        end(Ledger.Outcome.ALREADY_BOOKED);
      }
      default -> end(Ledger.Outcome.FAILED);
    }
  }

  private void choose(String slot) {
    attempt = idempotencyKey == null ? "POST booking" : "POST booking, other slot";
    slotId = slot;
    idempotencyKey = UUID.randomUUID().toString();
  }

  /** Not open yet: wait until releaseAt (plus a little, so parents do not all fire on the same tick). */
  private void waitForRelease(Instant releaseAt) {
    if (++notOpenWaits > retries) {
      end(Ledger.Outcome.NOT_OPEN);
      return;
    }
    Duration untilOpen = Duration.between(Instant.now(), releaseAt);
    Duration jitter = Duration.ofMillis(ThreadLocalRandom.current().nextLong(100));
    wait = (untilOpen.compareTo(MIN_NOT_OPEN_WAIT) < 0 ? MIN_NOT_OPEN_WAIT : untilOpen).plus(jitter);
    if (slotId != null) {
      attempt = "POST booking, retried";
      // not-open is a final answer: the service replays it for the same key, so this is a new attempt.
      idempotencyKey = UUID.randomUUID().toString();
    }
  }

  /** 429/503/no answer: wait at least Retry-After, then repeat the same request with the same key (never stored). */
  private void backOff(String retryAfter) {
    if (++backoffs > retries) {
      end(Ledger.Outcome.GAVE_UP);
      return;
    }
    Duration asked = retryAfter == null ? NO_ANSWER_BACKOFF : retryAfterSeconds(retryAfter);
    if (asked.getSeconds() > retryAfterCapSeconds) {
      // Waiting less than asked would not be honouring Retry-After; a parent this far back gives up.
      ledger.answer("Retry-After above cap (" + retryAfter + "s)");
      end(Ledger.Outcome.GAVE_UP);
      return;
    }
    wait = asked.plusMillis(ThreadLocalRandom.current().nextLong(250));
    if (slotId != null) {
      attempt = "POST booking, retried";
    }
  }

  private void end(Ledger.Outcome how) {
    outcome = how;
    ledger.ended(how);
  }

  private List<String> ours(List<Object> ids) {
    return ids == null ? List.of() : ids.stream().map(String::valueOf).filter(release::isOurs).toList();
  }

  private Instant releaseAtIn(JsonNode problem) {
    String text = problem == null ? "" : problem.path("releaseAt").asText("");
    try {
      return text.isEmpty() ? release.releaseAt() : OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      return release.releaseAt();
    }
  }

  private static Duration retryAfterSeconds(String header) {
    try {
      return Duration.ofSeconds(Math.max(0, Long.parseLong(header.trim())));
    } catch (NumberFormatException e) {
      return NO_ANSWER_BACKOFF; // an HTTP-date: not something this service sends; wait the default
    }
  }

  private static JsonNode parse(String body) {
    if (body == null || body.isBlank()) {
      return JSON.missingNode();
    }
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      return JSON.missingNode();
    }
  }

  /** " code" for refusals; " code (detail)" for 5xx and unexpected answers, which need the why. */
  private static String describe(JsonNode problem) {
    String code = problemCode(problem);
    if (code == null) {
      return "";
    }
    int status = problem.path("status").asInt();
    boolean expected = status == 409 || status == 429;
    String detail = problem.path("detail").asText("");
    return " " + code + (expected || detail.isEmpty() ? "" : " (" + detail + ")");
  }

  /** problem+json: the code is the last path segment of {@code type}. */
  private static String problemCode(JsonNode json) {
    String type = json.path("type").asText("");
    if (type.isEmpty()) {
      return null;
    }
    String trimmed = type.endsWith("/") ? type.substring(0, type.length() - 1) : type;
    return trimmed.substring(Math.max(trimmed.lastIndexOf('/'), trimmed.lastIndexOf(':')) + 1);
  }
}
