package io.firstvisit.security;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Issue 12 §5: a client that opens a connection and then stops sending, with or without half a request
 * line, holds a socket only until the idle timeout ({@code quarkus.http.idle-timeout}, and
 * {@code quarkus.management.idle-timeout} on the management port). Before, such sockets stayed open for
 * Quarkus' default 30 minutes. The profile shortens the timeouts so the test waits one second, not fifteen;
 * a socket the server never closes fails the test at the read's SO_TIMEOUT.
 */
@QuarkusTest
@TestProfile(SlowClientTest.ShortIdleTimeouts.class)
class SlowClientTest {

    public static class ShortIdleTimeouts implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.http.idle-timeout", "1s", "quarkus.management.idle-timeout", "1s");
        }
    }

    /** How long the test waits for the server to close before it calls the socket abandoned. */
    private static final Duration GIVE_UP_AFTER = Duration.ofSeconds(30);

    @ConfigProperty(name = "quarkus.http.idle-timeout")
    Duration idleTimeout;

    @TestHTTPResource("/")
    URL api;

    @TestHTTPResource(value = "/", management = true)
    URL management;

    @Test
    void aHalfSentRequestIsClosed() throws IOException {
        assertClosedBy(api.getPort(), "GET /api/v1/hospitals HTTP/1.1\r\nHost: localhost\r\nX-Slow: abc");
    }

    @Test
    void aHalfSentRequestLineIsClosed() throws IOException {
        assertClosedBy(api.getPort(), "GET /api/v1/hos");
    }

    @Test
    void aSilentConnectionIsClosed() throws IOException {
        assertClosedBy(api.getPort(), "");
    }

    @Test
    void theManagementPortClosesHalfSentRequestsToo() throws IOException {
        assertClosedBy(management.getPort(), "GET /q/health/ready HTTP/1.1\r\nHost: localhost\r\n");
    }

    /** Sends {@code partial}, then nothing; the server must end the connection (EOF), not answer and not wait forever. */
    private void assertClosedBy(int port, String partial) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout((int) idleTimeout.plus(GIVE_UP_AFTER).toMillis());
            socket.getOutputStream().write(partial.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            int first;
            try {
                first = in.read();
            } catch (SocketTimeoutException e) {
                fail("the server kept a connection that sent " + partial.length() + " bytes and went silent open for "
                        + idleTimeout.plus(GIVE_UP_AFTER).toSeconds() + " s; quarkus.http.idle-timeout is " + idleTimeout);
                return;
            } catch (IOException reset) {
                return; // a reset (RST) is a close too
            }
            assertEquals(-1, first, "expected the server to close the connection, but it answered: " + (char) first
                    + new String(in.readNBytes(200), StandardCharsets.ISO_8859_1));
        }
    }
}
