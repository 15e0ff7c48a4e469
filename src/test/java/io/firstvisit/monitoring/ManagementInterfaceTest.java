package io.firstvisit.monitoring;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * Issue 12 §5: health and metrics live on the management interface, so the public port (the one the
 * ingress forwards) answers only the API. Both ports are the test profile's random ones.
 */
@QuarkusTest
class ManagementInterfaceTest {

    private static final List<String> MANAGEMENT_PATHS = List.of("/q/health", "/q/health/live", "/q/health/ready",
            "/q/health/started", "/q/metrics");

    @TestHTTPResource(value = "/", management = true)
    URL management;

    @TestHTTPResource("/")
    URL api;

    @Test
    void thePublicPortDoesNotServeHealthOrMetrics() {
        for (String path : MANAGEMENT_PATHS) {
            given().get(path).then().statusCode(404);
        }
    }

    @Test
    void theManagementPortServesHealthAndMetrics() {
        assertNotEquals(api.getPort(), management.getPort(), "the management interface must listen on a port of its own");
        given().port(management.getPort()).get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        given().port(management.getPort()).get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        given().port(management.getPort()).get("/q/health/started").then().statusCode(200);
        given().port(management.getPort()).get("/q/metrics").then().statusCode(200)
                .body(containsString("# TYPE jvm_memory_used_bytes gauge"));
    }

    @Test
    void theManagementPortServesNoApi() {
        given().port(management.getPort()).get("/api/v1/hospitals").then().statusCode(404);
        given().port(management.getPort()).get("/q/openapi").then().statusCode(404);
    }

    @Test
    void theApiDescriptionStaysWithTheApi() {
        given().accept("application/json").get("/q/openapi").then().statusCode(200);
    }
}
