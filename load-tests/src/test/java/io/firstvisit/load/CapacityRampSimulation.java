package io.firstvisit.load;

import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.incrementUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.nothingFor;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;

import io.gatling.javaapi.core.Assertion;
import io.gatling.javaapi.core.OpenInjectionStep;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the knee: booking and browsing arrivals climb in steps (open model, incrementUsersPerSec)
 * against a release big enough not to sell out, so every level exercises the real booking path.
 * The level schedule is printed at start; README explains how to read the knee from the report.
 * Past the knee latency and errors are expected, so latency/error assertions apply only when
 * -Dp99Ms / -DmaxErrorPct are given; the post-run oversell check always applies.
 *
 * <pre>./mvnw -f load-tests gatling:test -Dgatling.simulationClass=io.firstvisit.load.CapacityRampSimulation</pre>
 */
public class CapacityRampSimulation extends Simulation {

  private static final double startRate = LoadConfig.doubleProperty("startRate", 10);
  private static final double rateStep = LoadConfig.doubleProperty("rateStep", 10);
  private static final int levels = LoadConfig.intProperty("levels", 5, 1, 100);
  private static final int levelSeconds = LoadConfig.intProperty("levelSeconds", 30, 1, 3600);
  private static final int rampSeconds = LoadConfig.intProperty("rampSeconds", 10, 0, 3600);
  private static final double browsePerBooking = LoadConfig.doubleProperty("browsePerBooking", 2);
  private static final int polls = LoadConfig.intProperty("polls", 3, 1, 1000);
  private static final int pollIntervalMs = LoadConfig.intProperty("pollIntervalMs", 1000, 0, 600_000);
  private static final Double p99Ms = LoadConfig.optionalDoubleProperty("p99Ms");
  private static final Double maxErrorPct = LoadConfig.optionalDoubleProperty("maxErrorPct");

  private final LoadConfig config = LoadConfig.fromSystemProperties(100, 1000, 5);
  private final Release release = new Release(config);
  private final Ledger ledger = new Ledger();
  private final int rampLength = levels * levelSeconds + (levels - 1) * rampSeconds;
  private final int maxDurationSeconds = LoadConfig.intProperty("maxDurationSeconds",
      config.releaseDelaySeconds + rampLength + (polls * pollIntervalMs) / 1000 + 120, 1, 86_400);

  private final HttpProtocolBuilder httpProtocol = http
      .baseUrls(config.baseUrls)
      .acceptHeader("application/json")
      .userAgentHeader("firstvisit-load-tests")
      .disableWarmUp()
      .disableCaching();

  private final ScenarioBuilder booking = scenario("Booking").exec(BookingJourney.of(release, ledger));
  private final ScenarioBuilder browsing = scenario("Browsing")
      .exec(AvailabilityPoll.of(release, ledger, polls, Duration.ofMillis(pollIntervalMs)));

  {
    setUp(
        booking.injectOpen(nothingFor(Duration.ofSeconds(config.releaseDelaySeconds)), stairs(1)),
        browsing.injectOpen(nothingFor(Duration.ofSeconds(config.releaseDelaySeconds)), stairs(browsePerBooking)))
        .protocols(httpProtocol)
        .maxDuration(Duration.ofSeconds(maxDurationSeconds))
        .assertions(assertions());
  }

  private static OpenInjectionStep stairs(double factor) {
    return incrementUsersPerSec(rateStep * factor)
        .times(levels)
        .eachLevelLasting(Duration.ofSeconds(levelSeconds))
        .separatedByRampsLasting(Duration.ofSeconds(rampSeconds))
        .startingFrom(startRate * factor);
  }

  private static List<Assertion> assertions() {
    List<Assertion> assertions = new ArrayList<>();
    if (p99Ms != null) {
      assertions.add(global().responseTime().percentile(99.0).lt(p99Ms.intValue()));
    }
    if (maxErrorPct != null) {
      assertions.add(global().failedRequests().percent().lte(maxErrorPct));
    }
    return assertions;
  }

  /** Booking arrivals the stairs will inject: each level's rate for its length, plus the ramps between. */
  private static int expectedBookings() {
    double arrivals = 0;
    for (int level = 0; level < levels; level++) {
      arrivals += (startRate + level * rateStep) * levelSeconds;
      if (level < levels - 1) {
        arrivals += (startRate + (level + 0.5) * rateStep) * rampSeconds;
      }
    }
    return (int) Math.ceil(arrivals * 1.05) + 10;
  }

  @Override
  public void before() {
    int patients = expectedBookings();
    if ((long) config.slots * config.capacity < patients) {
      System.out.printf("[ramp] WARNING: %d slots x %d < %d expected bookings: the release will sell out and later"
          + " levels will measure the sold-out path, not booking%n", config.slots, config.capacity, patients);
    }
    System.out.println("[ramp] level schedule (seconds from the first injection; the report's time axis):");
    for (int level = 0; level < levels; level++) {
      int from = config.releaseDelaySeconds + level * (levelSeconds + rampSeconds);
      System.out.printf("[ramp]   level %d: t=%d..%ds booking %.1f/s, browsing %.1f/s (x%d polls)%n", level + 1, from,
          from + levelSeconds, startRate + level * rateStep, (startRate + level * rateStep) * browsePerBooking, polls);
    }
    release.prepare(patients);
  }

  @Override
  public void after() {
    ReleaseAudit.verify(release, ledger);
  }
}
