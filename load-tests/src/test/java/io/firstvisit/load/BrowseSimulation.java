package io.firstvisit.load;

import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import java.time.Duration;

/**
 * Parents watching the list: new pollers arrive at a constant rate, each polls the department-date's
 * availability a few times (If-None-Match once an ETag was given). A release is published in
 * before() so the list has slots, and its releaseAt falls inside the run, so the list changes
 * (UPCOMING to OPEN) while it is being polled. Bounded by durationSeconds.
 *
 * <pre>./mvnw -f load-tests gatling:test -Dgatling.simulationClass=io.firstvisit.load.BrowseSimulation</pre>
 */
public class BrowseSimulation extends Simulation {

  private static final double usersPerSec = LoadConfig.doubleProperty("usersPerSec", 50);
  private static final int durationSeconds = LoadConfig.intProperty("durationSeconds", 60, 1, 3600);
  private static final int polls = LoadConfig.intProperty("polls", 5, 1, 1000);
  private static final int pollIntervalMs = LoadConfig.intProperty("pollIntervalMs", 1000, 0, 600_000);
  private static final int p99Ms = LoadConfig.intProperty("p99Ms", 2000, 1, 600_000);
  private static final double maxErrorPct = LoadConfig.doubleProperty("maxErrorPct", 1.0);

  private final LoadConfig config = LoadConfig.fromSystemProperties(50, 20, 30);
  private final Release release = new Release(config);
  private final Ledger ledger = new Ledger();
  private final int maxDurationSeconds = LoadConfig.intProperty("maxDurationSeconds",
      durationSeconds + (polls * pollIntervalMs) / 1000 + 60, 1, 86_400);

  private final HttpProtocolBuilder httpProtocol = http
      .baseUrls(config.baseUrls)
      .acceptHeader("application/json")
      .userAgentHeader("firstvisit-load-tests")
      .disableWarmUp()
      .disableCaching(); // If-None-Match is sent explicitly, so the report shows 304s as requests

  private final ScenarioBuilder browse = scenario("Availability polling")
      .exec(AvailabilityPoll.of(release, ledger, polls, Duration.ofMillis(pollIntervalMs)));

  {
    setUp(browse.injectOpen(constantUsersPerSec(usersPerSec).during(Duration.ofSeconds(durationSeconds))))
        .protocols(httpProtocol)
        .maxDuration(Duration.ofSeconds(maxDurationSeconds))
        .assertions(
            global().responseTime().percentile(99.0).lt(p99Ms),
            global().failedRequests().percent().lte(maxErrorPct));
  }

  @Override
  public void before() {
    release.prepare(0);
  }

  @Override
  public void after() {
    System.out.println("================ availability polling, run " + config.runId + " ================");
    ledger.summary().forEach(line -> System.out.println("  " + line));
  }
}
