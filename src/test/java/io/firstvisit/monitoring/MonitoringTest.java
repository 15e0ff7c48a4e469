package io.firstvisit.monitoring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.firstvisit.booking.HoldExpirer;
import io.firstvisit.inventory.ReservationReaper;
import io.firstvisit.support.Api;
import io.firstvisit.webhook.WebhookDispatcher;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.firstvisit.support.Api.book;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 12 §5: the operator's alerts and release-minute dashboard in k8s/ are checked offline. promtool
 * (Debian's prometheus package; .ci/run installs it) checks the PrometheusRule's groups, and every metric
 * of the service's own that an alert or a panel names must be one the running service really exports.
 */
@QuarkusTest
class MonitoringTest {

    private static final Path RULES = Path.of("k8s/base/prometheusrule.yaml");
    private static final Path DASHBOARD = Path.of("k8s/base/dashboards/release-minute.json");
    /** Series that come from elsewhere in the cluster (kube-state-metrics, cAdvisor), not from the service. */
    private static final Set<String> FROM_THE_CLUSTER = Set.of("kube_deployment_status_replicas_available",
            "container_cpu_usage_seconds_total");
    private static final Set<String> PROMQL_WORDS = Set.of("sum", "by", "rate", "increase", "histogram_quantile", "max", "min",
            "avg", "on", "and", "or", "unless", "hour", "minute", "le", "without", "count");
    private static final Pattern METRIC = Pattern.compile("\\b([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*(\\{|\\[|\\)|$|\\s*[<>=!])");

    /** Metrics are served on the management interface, not the public port (ManagementInterfaceTest). */
    @TestHTTPResource(value = "/", management = true)
    URL management;

    @Inject
    HoldExpirer expirer;

    @Inject
    WebhookDispatcher dispatcher;

    @Inject
    ReservationReaper reaper;

    @Test
    void promtoolAcceptsTheAlertRules() throws Exception {
        JsonNode rule = new YAMLMapper().readTree(RULES.toFile());
        Path groups = Files.createTempFile("firstvisit-rules", ".yaml");
        try {
            Files.writeString(groups, new YAMLMapper().writeValueAsString(rule.path("spec")), StandardCharsets.UTF_8);
            // On a fresh machine of this kind the tool is not there yet: bin/install-tools adds it (root, apt).
            Process install = new ProcessBuilder("bin/install-tools").inheritIO().start();
            assertTrue(install.waitFor(10, TimeUnit.MINUTES) && install.exitValue() == 0,
                    "promtool is required: bin/install-tools could not install it (Debian package prometheus)");
            Process promtool = new ProcessBuilder("promtool", "check", "rules", groups.toString()).redirectErrorStream(true).start();
            assertTrue(promtool.waitFor(60, TimeUnit.SECONDS), "promtool did not finish");
            String output = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, promtool.exitValue(), output);
            assertTrue(output.contains("SUCCESS: " + rule.path("spec").path("groups").get(0).path("rules").size() + " rules found"), output);
        } finally {
            Files.deleteIfExists(groups);
        }
    }

    @Test
    void everyServiceMetricTheAlertsAndTheDashboardNameIsExported() throws Exception {
        // Make every lazily created meter exist: a booking (outcomes, HTTP histogram), the sweeps, a dispatch.
        String slot = Api.openSlot(1);
        book("monitoring-" + slot, null, slot, Api.patient("monitoring-" + slot)).then().statusCode(201);
        expirer.expireDue(Instant.EPOCH).await().atMost(Duration.ofSeconds(10));
        dispatcher.deliverDue(Instant.EPOCH).await().atMost(Duration.ofSeconds(10));
        reaper.sweep().await().atMost(Duration.ofSeconds(30));
        String exported = given().port(management.getPort()).get("/q/metrics").then().statusCode(200).extract().asString();
        Set<String> families = new TreeSet<>();
        exported.lines().filter(l -> !l.startsWith("#") && !l.isBlank()).forEach(l -> families.add(l.split("[{ ]")[0]));

        List<String> expressions = new ArrayList<>();
        new YAMLMapper().readTree(RULES.toFile()).path("spec").path("groups")
                .forEach(g -> g.path("rules").forEach(r -> expressions.add(r.path("expr").asText())));
        JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
        dashboard.path("panels").forEach(p -> p.path("targets").forEach(t -> expressions.add(t.path("expr").asText())));
        assertTrue(expressions.size() >= 15, "alerts and panels found: " + expressions.size());

        List<String> missing = new ArrayList<>();
        Set<String> named = new TreeSet<>();
        for (String expression : expressions) {
            Matcher m = METRIC.matcher(expression);
            while (m.find()) {
                String name = m.group(1);
                if (PROMQL_WORDS.contains(name) || FROM_THE_CLUSTER.contains(name) || !name.contains("_")) {
                    continue;
                }
                named.add(name);
                if (!families.contains(name)) {
                    missing.add(name + " (in " + expression + ")");
                }
            }
        }
        assertTrue(named.contains("firstvisit_booking_outcomes_total") && named.contains("firstvisit_inventory_remaining"), named.toString());
        assertEquals(List.of(), missing, "named by an alert or a panel but not exported by the service");
    }

    @Test
    void theDashboardShowsWhatTheReleaseMinuteNeeds() throws Exception {
        JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
        String all = dashboard.path("panels").toString();
        for (String needed : List.of("firstvisit_booking_outcomes_total", "firstvisit_inventory_remaining", "status=\\\"503\\\"",
                "status=\\\"429\\\"", "histogram_quantile(0.99", "firstvisit_booking_write_queue", "firstvisit_reservations_pending",
                "firstvisit_inventory_drift_total", "kube_deployment_status_replicas_available", "container_cpu_usage_seconds_total")) {
            assertTrue(all.contains(needed), "the dashboard has no panel with " + needed);
        }
    }
}
