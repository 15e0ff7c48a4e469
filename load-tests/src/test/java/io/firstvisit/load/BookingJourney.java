package io.firstvisit.load;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.bodyString;
import static io.gatling.javaapi.core.CoreDsl.doIf;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.jmesPath;
import static io.gatling.javaapi.core.CoreDsl.pause;
import static io.gatling.javaapi.http.HttpDsl.header;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.http.HttpRequestActionBuilder;
import java.util.List;

/**
 * The measured part of a release: one parent's taps, from the first look at availability to a
 * definite answer. The decisions live in {@link Parent}; this class only wires them to requests.
 *
 * <p>Designed answers (201, 409, and 429/503 with Retry-After) are OK in the report; anything else
 * (400/404/422, other 5xx, timeouts) is KO and counts against {@code maxErrorPct}.
 */
final class BookingJourney {

  static final String PARENT = "parent";
  private static final String STATUS = "status";
  private static final String BODY = "body";
  private static final String RETRY_AFTER = "retryAfter";
  private static final String OPEN = "openSlotIds";
  private static final String UPCOMING = "upcomingSlotIds";

  private BookingJourney() {}

  static ChainBuilder of(Release release, Ledger ledger) {
    return exec(session -> session.set(PARENT, new Parent(release, ledger)))
        .exec(taps(release))
        .exec(session -> session.remove(PARENT));
  }

  /** The taps of the parent already in the session (QueueJourney puts one there and takes a ticket first). */
  static ChainBuilder taps(Release release) {
    return exec(session -> session)
        .asLongAs(session -> parent(session).stillTrying()).on(
            doIf(session -> parent(session).wantsAvailability()).then(
                exec(lookAtAvailability(release)),
                exec(session -> {
                  parent(session).onAvailability(statusOf(session), listOrNull(session, OPEN),
                      listOrNull(session, UPCOMING), string(session, BODY), string(session, RETRY_AFTER));
                  return session.removeAll(STATUS, BODY, RETRY_AFTER, OPEN, UPCOMING);
                })),
            doIf(session -> parent(session).wantsToBook()).then(
                exec(book()),
                exec(session -> {
                  parent(session).onBooking(statusOf(session), string(session, BODY), string(session, RETRY_AFTER));
                  return session.removeAll(STATUS, BODY, RETRY_AFTER);
                })),
            pause(session -> parent(session).takeWait()));
  }

  private static HttpRequestActionBuilder lookAtAvailability(Release release) {
    return http("GET availability")
        .get(session -> release.availabilityPath())
        .check(
            status().saveAs(STATUS),
            header("Retry-After").optional().saveAs(RETRY_AFTER))
        .checkIf((response, session) -> response.status().code() == 200).then(
            jmesPath("[?status=='OPEN' && remaining > `0`].id").ofList().optional().saveAs(OPEN),
            jmesPath("[?status=='UPCOMING'].id").ofList().optional().saveAs(UPCOMING))
        .checkIf((response, session) -> response.status().code() != 200).then(
            bodyString().saveAs(BODY))
        .check(status().in(200, 429, 503));
  }

  private static HttpRequestActionBuilder book() {
    return http(session -> parent(session).attempt())
        .post("/api/v1/bookings")
        .header("Authorization", session -> parent(session).authorization())
        .header("Idempotency-Key", session -> parent(session).idempotencyKey())
        .header("Admission-Ticket", session -> parent(session).admissionTicket())
        .body(StringBody(session -> parent(session).bookingBody()))
        .asJson()
        .check(
            status().saveAs(STATUS),
            bodyString().saveAs(BODY),
            header("Retry-After").optional().saveAs(RETRY_AFTER),
            status().in(201, 409, 429, 503));
  }

  static Parent parent(Session session) {
    return session.get(PARENT);
  }

  /** Absent when the request got no answer at all. */
  private static Integer statusOf(Session session) {
    return session.contains(STATUS) ? session.getInt(STATUS) : null;
  }

  private static String string(Session session, String key) {
    return session.contains(key) ? session.getString(key) : null;
  }

  private static List<Object> listOrNull(Session session, String key) {
    return session.contains(key) ? session.getList(key) : null;
  }
}
