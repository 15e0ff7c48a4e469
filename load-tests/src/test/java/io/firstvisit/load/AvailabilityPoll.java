package io.firstvisit.load;

import static io.gatling.javaapi.core.CoreDsl.doIfOrElse;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.pace;
import static io.gatling.javaapi.core.CoreDsl.repeat;
import static io.gatling.javaapi.http.HttpDsl.header;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.http.HttpRequestActionBuilder;
import java.time.Duration;

/**
 * A parent watching the slot list around a release: polls availability every interval, sending
 * If-None-Match once the service has given an ETag, so an unchanged list can come back as 304.
 * 200 and 304 are OK, and so are 429/503 (designed back-pressure); the ledger counts each.
 */
final class AvailabilityPoll {

  private static final String ETAG = "etag";
  private static final String STATUS = "pollStatus";

  private AvailabilityPoll() {}

  static ChainBuilder of(Release release, Ledger ledger, int polls, Duration interval) {
    return repeat(polls).on(
        pace(interval),
        doIfOrElse(session -> session.contains(ETAG))
            .then(exec(poll("GET availability (browse, If-None-Match)", release).header("If-None-Match", "#{etag}")))
            .orElse(exec(poll("GET availability (browse)", release))),
        exec(session -> {
          ledger.answer("GET availability (browse) "
              + (session.contains(STATUS) ? Integer.toString(session.getInt(STATUS)) : "no answer"));
          return session.remove(STATUS);
        }));
  }

  private static HttpRequestActionBuilder poll(String name, Release release) {
    return http(name)
        .get(session -> release.availabilityPath())
        .check(
            status().saveAs(STATUS),
            header("ETag").optional().saveAs(ETAG),
            status().in(200, 304, 429, 503));
  }
}
