package io.firstvisit.badinput;

import io.firstvisit.support.Api;
import io.firstvisit.support.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import net.jqwik.engine.JqwikTestEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherConfig;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder.request;

/**
 * Runs the jqwik properties of {@link ArbitraryBookingProperties} against the running service.
 * <p>
 * Why this detour: {@code @QuarkusTest} is a JUnit Jupiter extension, and jqwik's {@code @Property}
 * methods run in jqwik's own engine, where no Jupiter extension starts the application. So this Jupiter
 * test starts it (as every {@code @QuarkusTest} does), hands the port and a parent's token and ids to
 * the properties, and launches the jqwik engine on them in-process. Shrinking, edge cases and jqwik's
 * failure report (the smallest falsifying sample and the seed to replay it) all work as usual.
 */
@QuarkusTest
class ArbitraryBookingTest {

    private static final List<String> HANDED_OVER = List.of(ArbitraryBookingProperties.PORT, ArbitraryBookingProperties.TOKEN,
            ArbitraryBookingProperties.SLOT, ArbitraryBookingProperties.PATIENT);

    @Test
    void generatedBookingRequestsNeverBreakTheService() {
        String parent = "jqwik-parent-" + UUID.randomUUID();
        System.setProperty(ArbitraryBookingProperties.PORT, Integer.toString(RestAssured.port));
        System.setProperty(ArbitraryBookingProperties.TOKEN, Tokens.patient(parent));
        System.setProperty(ArbitraryBookingProperties.SLOT, Api.openSlot(1000));
        System.setProperty(ArbitraryBookingProperties.PATIENT, Api.patient(parent));

        TestExecutionSummary summary = runJqwik();

        if (summary.getTotalFailureCount() > 0) {
            StringWriter report = new StringWriter();
            summary.printFailuresTo(new PrintWriter(report), 25);
            AssertionError failure = new AssertionError("jqwik falsified a property:\n" + report);
            summary.getFailures().forEach(f -> failure.addSuppressed(f.getException()));
            throw failure;
        }
        assertEquals(3, summary.getTestsSucceededCount(), "properties that ran and held");
    }

    @AfterEach
    void forgetTheService() {
        HANDED_OVER.forEach(System::clearProperty);
    }

    private static TestExecutionSummary runJqwik() {
        LauncherDiscoveryRequest discovery = request()
                .selectors(selectClass(ArbitraryBookingProperties.class))
                // Keep jqwik's run history under target/, not in the working tree.
                .configurationParameter("jqwik.database", "target/jqwik-database")
                .configurationParameter("jqwik.reporting.onlyfailures", "true")
                .build();
        // Only the jqwik engine, and none of the listeners found on the class path (Quarkus registers its own).
        LauncherConfig config = LauncherConfig.builder()
                .enableTestEngineAutoRegistration(false)
                .enableLauncherSessionListenerAutoRegistration(false)
                .enableLauncherDiscoveryListenerAutoRegistration(false)
                .enableTestExecutionListenerAutoRegistration(false)
                .enablePostDiscoveryFilterAutoRegistration(false)
                .addTestEngines(new JqwikTestEngine())
                .build();
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        LauncherFactory.create(config).execute(discovery, listener);
        return listener.getSummary();
    }
}
