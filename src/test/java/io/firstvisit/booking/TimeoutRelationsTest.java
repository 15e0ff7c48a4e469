package io.firstvisit.booking;

import io.firstvisit.faults.harness.Stack;
import io.firstvisit.inventory.rebuild.InventoryReconciler;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue 12 §3: write budget + statement_timeout &lt; reservation timeout &lt; reconcile grace, checked at start. */
class TimeoutRelationsTest {

    private static final Duration WRITE_BUDGET = Duration.ofMillis(BookingWriter.WRITE_BUDGET_MS);

    @Test
    void theShippedConfigurationNests() throws IOException {
        Properties file = new Properties();
        try (Reader reader = Files.newBufferedReader(Path.of("src/main/resources/application.properties"), StandardCharsets.UTF_8)) {
            file.load(reader);
        }
        Duration statement = TimeoutRelations.postgresDuration(file.getProperty(TimeoutRelations.STATEMENT_TIMEOUT));
        Duration reservation = Duration.parse("PT" + file.getProperty(TimeoutRelations.RESERVATION_TIMEOUT).toUpperCase());
        assertEquals(List.of(), TimeoutRelations.violations(WRITE_BUDGET, Optional.of(statement), reservation,
                InventoryReconciler.grace(reservation)));
    }

    @Test
    void theFaultSuitesShortReservationTimeoutStillNests() {
        assertEquals(List.of(), TimeoutRelations.violations(WRITE_BUDGET, Optional.of(Duration.ofSeconds(5)),
                Stack.RESERVATION_TIMEOUT, InventoryReconciler.grace(Stack.RESERVATION_TIMEOUT)));
    }

    @Test
    void aReservationTimeoutACommitCanOutliveIsRefused() {
        // The fault suite's setting until issue 12: 6 s, while a commit could land up to 5 s + 5 s after its reservation.
        List<String> broken = TimeoutRelations.violations(WRITE_BUDGET, Optional.of(Duration.ofSeconds(5)),
                Duration.ofSeconds(6), InventoryReconciler.grace(Duration.ofSeconds(6)));
        assertEquals(1, broken.size(), broken.toString());
        assertTrue(broken.get(0).contains(TimeoutRelations.STATEMENT_TIMEOUT) && broken.get(0).contains(TimeoutRelations.RESERVATION_TIMEOUT)
                && broken.get(0).contains("BookingWriter/write"), broken.get(0));
        // Equal is not enough: the commit and the reaper would race.
        assertEquals(1, TimeoutRelations.violations(WRITE_BUDGET, Optional.of(Duration.ofSeconds(5)), Duration.ofSeconds(10),
                Duration.ofSeconds(20)).size());
    }

    @Test
    void noStatementTimeoutIsRefused() {
        List<String> broken = TimeoutRelations.violations(WRITE_BUDGET, Optional.empty(), Duration.ofSeconds(30), Duration.ofSeconds(60));
        assertEquals(1, broken.size(), broken.toString());
        assertTrue(broken.get(0).contains(TimeoutRelations.STATEMENT_TIMEOUT), broken.get(0));
    }

    @Test
    void aGraceNoLongerThanTheReservationTimeoutIsRefused() {
        List<String> broken = TimeoutRelations.violations(WRITE_BUDGET, Optional.of(Duration.ofSeconds(5)), Duration.ofSeconds(30),
                Duration.ofSeconds(30));
        assertEquals(1, broken.size(), broken.toString());
        assertTrue(broken.get(0).contains("grace"), broken.get(0));
    }

    @Test
    void statementTimeoutsAreReadAsPostgresReadsThem() {
        assertEquals(Duration.ofMillis(5000), TimeoutRelations.postgresDuration("5000"));
        assertEquals(Duration.ofMillis(250), TimeoutRelations.postgresDuration("250ms"));
        assertEquals(Duration.ofSeconds(5), TimeoutRelations.postgresDuration("5s"));
        assertEquals(Duration.ofMinutes(1), TimeoutRelations.postgresDuration("1min"));
        assertThrows(IllegalStateException.class, () -> TimeoutRelations.postgresDuration("5 parsecs"));
        assertThrows(IllegalStateException.class, () -> TimeoutRelations.postgresDuration("soon"));
    }
}
