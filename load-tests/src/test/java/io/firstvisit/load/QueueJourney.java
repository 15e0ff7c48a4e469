package io.firstvisit.load;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.jmesPath;
import static io.gatling.javaapi.core.CoreDsl.pause;
import static io.gatling.javaapi.http.HttpDsl.header;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.http.HttpRequestActionBuilder;
import java.time.Duration;

/**
 * A parent on a QUEUE release: takes the account's ticket in the waiting room, looks at it again when the
 * service's Retry-After says, and once ADMITTED books like any parent ({@link BookingJourney#taps}), sending the
 * ticket in the Admission-Ticket header. SOLD_OUT or an expired pass ends the try; 429/503 are waited out
 * (Retry-After, else 1 s), at most {@code retries} times in a row.
 */
final class QueueJourney {

  private static final String TICKET = "ticketId";
  private static final String STATE = "ticketState";
  private static final String STATUS = "ticketStatus";
  private static final String RETRY_AFTER = "ticketRetryAfter";
  private static final String WAIT = "ticketWait";
  private static final String FAILURES = "ticketFailures";
  /** Never wait longer than this between looks, whatever the service says (bounds the run). */
  private static final Duration MAX_LOOK_WAIT = Duration.ofSeconds(30);

  private QueueJourney() {}

  static ChainBuilder of(Release release, Ledger ledger) {
    return exec(session -> session.set(BookingJourney.PARENT, new Parent(release, ledger)).set(FAILURES, 0).set(STATE, "NONE"))
        .asLongAs(session -> "NONE".equals(session.getString(STATE))).on(
            exec(take(release)),
            exec(session -> onTicket(session, ledger)),
            pause(session -> session.get(WAIT)))
        .asLongAs(session -> "WAITING".equals(session.getString(STATE))).on(
            exec(look()),
            exec(session -> onTicket(session, ledger)),
            pause(session -> session.get(WAIT)))
        .doIfOrElse(session -> "ADMITTED".equals(session.getString(STATE))).then(
            exec(session -> {
              BookingJourney.parent(session).admitted(session.getString(TICKET));
              return session;
            }).exec(BookingJourney.taps(release)))
        .orElse(
            exec(session -> {
              String state = session.getString(STATE);
              BookingJourney.parent(session).leftTheQueue("SOLD_OUT".equals(state) ? Ledger.Outcome.SOLD_OUT : Ledger.Outcome.FAILED);
              return session;
            }))
        .exec(session -> session.removeAll(BookingJourney.PARENT, TICKET, STATE, STATUS, RETRY_AFTER, WAIT, FAILURES));
  }

  private static HttpRequestActionBuilder take(Release release) {
    return http("POST ticket")
        .post("/api/v1/queue/tickets")
        .header("Authorization", session -> BookingJourney.parent(session).authorization())
        .body(StringBody(session -> release.ticketBody()))
        .asJson()
        .check(status().saveAs(STATUS), header("Retry-After").optional().saveAs(RETRY_AFTER),
            jmesPath("id").optional().saveAs(TICKET), jmesPath("state").optional().saveAs("seenState"),
            status().in(201, 429, 503));
  }

  private static HttpRequestActionBuilder look() {
    return http("GET ticket")
        .get(session -> "/api/v1/queue/tickets/" + session.getString(TICKET))
        .header("Authorization", session -> BookingJourney.parent(session).authorization())
        .check(status().saveAs(STATUS), header("Retry-After").optional().saveAs(RETRY_AFTER),
            jmesPath("state").optional().saveAs("seenState"),
            status().in(200, 429, 503));
  }

  /** Reads the answer: the ticket's state and when to look again. */
  private static Session onTicket(Session session, Ledger ledger) {
    int status = session.contains(STATUS) ? session.getInt(STATUS) : 0;
    Duration wait = retryAfter(session);
    if (status == 200 || status == 201) {
      String state = session.getString("seenState");
      ledger.answer("ticket " + state);
      return session.set(STATE, state).set(WAIT, "WAITING".equals(state) ? wait : Duration.ZERO).set(FAILURES, 0)
          .removeAll(STATUS, RETRY_AFTER, "seenState");
    }
    int failures = session.getInt(FAILURES) + 1;
    ledger.answer("ticket " + (status == 0 ? "no answer" : status));
    String state = failures > BookingJourney.parent(session).retries() ? "FAILED" : session.getString(STATE);
    return session.set(STATE, state).set(FAILURES, failures).set(WAIT, wait.isZero() ? Duration.ofSeconds(1) : wait)
        .removeAll(STATUS, RETRY_AFTER, "seenState");
  }

  private static Duration retryAfter(Session session) {
    if (!session.contains(RETRY_AFTER)) {
      return Duration.ZERO;
    }
    try {
      Duration told = Duration.ofSeconds(Long.parseLong(session.getString(RETRY_AFTER).trim()));
      return told.compareTo(MAX_LOOK_WAIT) > 0 ? MAX_LOOK_WAIT : told;
    } catch (NumberFormatException e) {
      return Duration.ofSeconds(1);
    }
  }
}
