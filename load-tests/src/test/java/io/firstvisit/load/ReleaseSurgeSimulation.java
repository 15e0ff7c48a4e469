package io.firstvisit.load;

import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.nothingFor;
import static io.gatling.javaapi.core.CoreDsl.rampUsers;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.core.CoreDsl.stressPeakUsers;
import static io.gatling.javaapi.http.HttpDsl.http;

import io.gatling.javaapi.core.OpenInjectionStep;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import java.time.Duration;

/**
 * The release instant: P parents arrive within W seconds of releaseAt (open model), each looks at
 * availability, books a random open slot, and reacts to sold-out / not-open / Retry-After. The
 * release (doctor, N slots of capacity C, P patients) is set up in before(); after() checks through
 * the API that nothing was oversold and that the service confirmed exactly the 201s parents saw.
 *
 * <pre>./mvnw -f load-tests gatling:test -Dgatling.simulationClass=io.firstvisit.load.ReleaseSurgeSimulation</pre>
 */
public class ReleaseSurgeSimulation extends Simulation {

  private static final int patients = LoadConfig.intProperty("patients", 2000, 1, 200_000);
  private static final int windowSeconds = LoadConfig.intProperty("windowSeconds", 10, 1, 3600);
  /** "ramp": arrivals spread evenly over W; "peak": Gatling's stress peak (a smoothed step, densest mid-window). */
  private static final String arrivals = System.getProperty("arrivals", "ramp");
  private static final int p99Ms = LoadConfig.intProperty("p99Ms", 2000, 1, 600_000);
  private static final double maxErrorPct = LoadConfig.doubleProperty("maxErrorPct", 1.0);

  private final LoadConfig config = LoadConfig.fromSystemProperties(50, 20, 10);
  private final Release release = new Release(config);
  private final Ledger ledger = new Ledger();
  private final int maxDurationSeconds =
      LoadConfig.intProperty("maxDurationSeconds", config.releaseDelaySeconds + windowSeconds + 120, 1, 86_400);

  private final HttpProtocolBuilder httpProtocol = http
      .baseUrls(config.baseUrls)
      .acceptHeader("application/json")
      .userAgentHeader("firstvisit-load-tests")
      .disableWarmUp()
      .disableCaching();

  private final ScenarioBuilder surge = scenario("Release surge").exec(BookingJourney.of(release, ledger));

  {
    setUp(surge.injectOpen(
            // Injection starts when before() returns, which is when releaseAt was set to now + delay.
            nothingFor(Duration.ofSeconds(config.releaseDelaySeconds)),
            spike()))
        .protocols(httpProtocol)
        .maxDuration(Duration.ofSeconds(maxDurationSeconds))
        .assertions(
            global().responseTime().percentile(99.0).lt(p99Ms),
            details("POST booking").responseTime().percentile(99.0).lt(p99Ms),
            global().failedRequests().percent().lte(maxErrorPct));
  }

  private static OpenInjectionStep spike() {
    return switch (arrivals) {
      case "ramp" -> rampUsers(patients).during(Duration.ofSeconds(windowSeconds));
      case "peak" -> stressPeakUsers(patients).during(Duration.ofSeconds(windowSeconds));
      default -> throw new IllegalArgumentException("-Darrivals=" + arrivals + " (expected ramp or peak)");
    };
  }

  @Override
  public void before() {
    release.prepare(patients);
  }

  @Override
  public void after() {
    ReleaseAudit.verify(release, ledger);
  }
}
