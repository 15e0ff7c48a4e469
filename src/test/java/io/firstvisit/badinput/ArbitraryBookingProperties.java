package io.firstvisit.badinput;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.LifecycleContext;
import net.jqwik.api.lifecycle.SkipExecutionHook;

import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;

/**
 * Properties of the booking routes over generated requests: arbitrary JSON in {@code slotId} and
 * {@code patientId}, mangled and random bodies, arbitrary path and query ids, arbitrary Idempotency-Keys.
 * Whatever comes in, the service never answers 5xx, a 4xx is problem+json naming the problem, and no
 * answer shows its insides. A generated request may be valid by chance and book: that is allowed.
 * <p>
 * jqwik is a JUnit Platform engine of its own and cannot run inside {@code @QuarkusTest}, so
 * {@link ArbitraryBookingTest} starts the service and runs these properties through the jqwik engine
 * against it. Run on their own (no service to talk to), they are skipped.
 */
@AddLifecycleHook(ArbitraryBookingProperties.OnlyAgainstARunningService.class)
class ArbitraryBookingProperties {

    static final String PORT = "firstvisit.properties.port";
    static final String TOKEN = "firstvisit.properties.token";
    static final String SLOT = "firstvisit.properties.slot";
    static final String PATIENT = "firstvisit.properties.patient";

    private static final ObjectMapper JSON = new ObjectMapper();

    @Property(tries = 150)
    void anyBookingBodyIsAnsweredCleanly(@ForAll("bookingBodies") String body) {
        Response response = service().contentType("application/json").body(body).post("/api/v1/bookings");

        assertNeverBroken(response, "POST /api/v1/bookings\n" + body);
    }

    @Property(tries = 150)
    void anyIdInThePathOrQueryIsAnsweredCleanly(@ForAll("ids") String id, @ForAll("idRoutes") String route) {
        String encoded = URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
        String target = route.replace("{id}", encoded);
        String method = target.startsWith("DELETE ") ? "DELETE" : "GET";

        Response response = service().urlEncodingEnabled(false).request(method, target.substring(method.length() + 1));

        assertNeverBroken(response, target + "\n(id: " + id + ")");
    }

    @Property(tries = 100)
    void anyIdempotencyKeyIsAnsweredCleanly(@ForAll("keys") String key, @ForAll("bookingBodies") String body) {
        Response response = service().contentType("application/json").header("Idempotency-Key", key).body(body)
                .post("/api/v1/bookings");

        assertNeverBroken(response, "POST /api/v1/bookings\nIdempotency-Key: " + key + "\n" + body);
    }

    @Provide
    Arbitrary<String> bookingBodies() {
        return Arbitraries.frequencyOf(
                Tuple.of(6, bookingObjects()),
                Tuple.of(2, validBody().flatMap(ArbitraryBookingProperties::mangled)),
                Tuple.of(1, Arbitraries.strings().all().ofMaxLength(80)));
    }

    @Provide
    Arbitrary<String> ids() {
        return Arbitraries.oneOf(
                Arbitraries.strings().all().ofMaxLength(60),
                Arbitraries.strings().withChars("./%\\;?#&=:*'\"{}[]() \t").ofMaxLength(20),
                Arbitraries.create(() -> UUID.randomUUID().toString()),
                Arbitraries.create(() -> UUID.randomUUID().toString()).flatMap(ArbitraryBookingProperties::mangled),
                Arbitraries.of(System.getProperty(SLOT), System.getProperty(PATIENT),
                        System.getProperty(PATIENT).toUpperCase(Locale.ROOT)));
    }

    @Provide
    Arbitrary<String> idRoutes() {
        return Arbitraries.of("GET /api/v1/bookings/{id}", "DELETE /api/v1/bookings/{id}", "GET /api/v1/bookings?patientId={id}",
                "GET /api/v1/patients/{id}");
    }

    /** Keys a client could send in an HTTP/1.1 header: printable ASCII, spaces and tabs, up to 250 long. */
    @Provide
    Arbitrary<String> keys() {
        return Arbitraries.strings().withCharRange(' ', '~').withChars('\t').ofMaxLength(250);
    }

    /** An object with arbitrary JSON (or nothing) in slotId and patientId, sometimes with extra members. */
    private Arbitrary<String> bookingObjects() {
        Arbitrary<Object> member = Arbitraries.<Object>frequencyOf(
                Tuple.of(1, Arbitraries.just((Object) Missing.MEMBER)),
                Tuple.of(6, jsonValues()));
        Arbitrary<Map<String, Object>> extras = Arbitraries.maps(Arbitraries.strings().all().ofMaxLength(12), jsonValues())
                .ofMaxSize(2);
        return Combinators.combine(member, member, extras).as((slotId, patientId, more) -> {
            Map<String, Object> body = new LinkedHashMap<>();
            if (slotId != Missing.MEMBER) {
                body.put("slotId", slotId);
            }
            if (patientId != Missing.MEMBER) {
                body.put("patientId", patientId);
            }
            body.putAll(more);
            return write(body);
        });
    }

    /** Any JSON value, nested up to three levels, biased towards strings that look like (or are) our ids. */
    private Arbitrary<Object> jsonValues() {
        return Arbitraries.recursive(this::jsonLeaves, inner -> Arbitraries.<Object>oneOf(
                jsonLeaves(),
                inner.list().ofMaxSize(3).map(list -> (Object) list),
                Arbitraries.maps(Arbitraries.strings().alpha().ofMaxLength(8), inner).ofMaxSize(3).map(map -> (Object) map)), 3);
    }

    private Arbitrary<Object> jsonLeaves() {
        return Arbitraries.<Object>oneOf(
                Arbitraries.strings().all().ofMaxLength(40),
                Arbitraries.create(() -> UUID.randomUUID().toString()),
                Arbitraries.of(System.getProperty(SLOT), System.getProperty(PATIENT),
                        System.getProperty(SLOT).toUpperCase(Locale.ROOT), ""),
                Arbitraries.integers(),
                Arbitraries.longs(),
                Arbitraries.bigDecimals().ofScale(3),
                Arbitraries.doubles(),
                Arbitraries.of(true, false),
                Arbitraries.just((Object) null));
    }

    private Arbitrary<String> validBody() {
        return Arbitraries.just("{\"slotId\":\"" + System.getProperty(SLOT) + "\",\"patientId\":\"" + System.getProperty(PATIENT) + "\"}");
    }

    /** The text cut short, with one character inserted, or with one character removed. */
    private static Arbitrary<String> mangled(String text) {
        Arbitrary<Integer> at = Arbitraries.integers().between(0, text.length() - 1);
        return Arbitraries.oneOf(
                at.map(i -> text.substring(0, i)),
                Combinators.combine(at, Arbitraries.chars().all())
                        .as((i, c) -> text.substring(0, i) + c + text.substring(i)),
                at.map(i -> text.substring(0, i) + text.substring(i + 1)));
    }

    private static RequestSpecification service() {
        return given().baseUri("http://localhost").port(Integer.parseInt(System.getProperty(PORT)))
                .auth().oauth2(System.getProperty(TOKEN));
    }

    private static void assertNeverBroken(Response response, String request) {
        Refusal.assertNeverBroken(response.statusCode(), response.contentType(), response.asString(),
                "\n--- request ---\n" + request + "\n--- response ---\nHTTP " + response.statusCode() + " "
                        + response.contentType() + "\n" + response.asString());
    }

    private static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private enum Missing { MEMBER }

    /** Skips the properties unless {@link ArbitraryBookingTest} has started the service and named its port. */
    public static class OnlyAgainstARunningService implements SkipExecutionHook {
        @Override
        public SkipResult shouldBeSkipped(LifecycleContext context) {
            return System.getProperty(PORT) == null
                    ? SkipResult.skip("run by ArbitraryBookingTest, which starts the service")
                    : SkipResult.doNotSkip();
        }
    }
}
