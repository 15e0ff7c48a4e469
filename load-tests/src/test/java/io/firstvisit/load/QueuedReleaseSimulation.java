package io.firstvisit.load;

import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.rampUsers;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import java.time.Duration;
import java.util.Map;

/**
 * A release in the waiting room (issue 11): P parents arrive during the last {@code ticketWindowSeconds} before
 * releaseAt and take tickets (pre-queue), poll them as Retry-After says, and book once ADMITTED, at
 * {@code admitPerSecond}. The post-run check is ReleaseSurgeSimulation's: nothing oversold, the service confirmed
 * exactly the 201s parents saw; a 403 (a parent refused by the waiting room's gate) is a KO and fails the run.
 * Compare with ReleaseSurgeSimulation on the same crowd (same -Dpatients, -Dslots, -Dcapacity).
 *
 * <pre>./mvnw -f load-tests gatling:test -Dgatling.simulationClass=io.firstvisit.load.QueuedReleaseSimulation</pre>
 */
public class QueuedReleaseSimulation extends Simulation {

  private static final int patients = LoadConfig.intProperty("patients", 2000, 1, 200_000);
  private static final int ticketWindowSeconds = LoadConfig.intProperty("ticketWindowSeconds", 20, 1, 3600);
  private static final int admitPerSecond = LoadConfig.intProperty("admitPerSecond", 100, 1, 100_000);
  private static final int passMinutes = LoadConfig.intProperty("passMinutes", 10, 1, 120);
  private static final int p99Ms = LoadConfig.intProperty("p99Ms", 2000, 1, 600_000);
  private static final double maxErrorPct = LoadConfig.doubleProperty("maxErrorPct", 1.0);

  // The release opens ticketWindowSeconds + 5 s after set-up: every parent arrives before it (the pre-queue).
  private final LoadConfig config = LoadConfig.fromSystemProperties(50, 20, ticketWindowSeconds + 5);
  private final Release release = new Release(config).withAdmission(admission());
  private final Ledger ledger = new Ledger();
  private final int maxDurationSeconds = LoadConfig.intProperty("maxDurationSeconds",
      config.releaseDelaySeconds + patients / admitPerSecond + 180, 1, 86_400);

  private final HttpProtocolBuilder httpProtocol = http
      .baseUrls(config.baseUrls)
      .acceptHeader("application/json")
      .userAgentHeader("firstvisit-load-tests")
      .disableWarmUp()
      .disableCaching();

  private final ScenarioBuilder queued = scenario("Queued release").exec(QueueJourney.of(release, ledger));

  {
    setUp(queued.injectOpen(rampUsers(patients).during(Duration.ofSeconds(ticketWindowSeconds))))
        .protocols(httpProtocol)
        .maxDuration(Duration.ofSeconds(maxDurationSeconds))
        .assertions(
            details("POST booking").responseTime().percentile(99.0).lt(p99Ms),
            global().failedRequests().percent().lte(maxErrorPct));
  }

  private static Map<String, Object> admission() {
    return Map.of("mode", "QUEUE", "admitPerSecond", admitPerSecond, "passMinutes", passMinutes);
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
