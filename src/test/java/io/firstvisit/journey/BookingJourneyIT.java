package io.firstvisit.journey;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The same journey against the packaged application (JVM jar here; the native binary where it can be built). */
@QuarkusIntegrationTest
class BookingJourneyIT extends BookingJourneyTest {
}
