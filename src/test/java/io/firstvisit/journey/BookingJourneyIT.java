package io.firstvisit.journey;

import io.quarkus.test.junit.QuarkusIntegrationTest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The same journey against the packaged application (JVM jar here; the native binary where it can be built). */
@QuarkusIntegrationTest
class BookingJourneyIT extends BookingJourneyTest {

    /** The test profile's log, which the packaged application writes and Quarkus' launcher reads. */
    private static final Path LOG = Path.of("target/quarkus-test.log");
    private static final Pattern MANAGEMENT = Pattern.compile("Management interface listening on https?://[^:\\s]+:(\\d+)");

    /**
     * Quarkus' launcher learns the packaged application's random API port from its start-up line but not
     * the management interface's, which the same line names: read it from there the same way.
     */
    @Override
    protected int managementPort() {
        try {
            Matcher m = MANAGEMENT.matcher(Files.readString(LOG, StandardCharsets.UTF_8));
            int port = -1;
            while (m.find()) {
                port = Integer.parseInt(m.group(1)); // the last start is the running one
            }
            if (port < 0) {
                throw new IllegalStateException(LOG + " names no management port; is quarkus.management.enabled set?");
            }
            return port;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
