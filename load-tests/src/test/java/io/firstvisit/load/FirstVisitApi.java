package io.firstvisit.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * The blocking client used outside the measured part of a run: set-up in before() and the
 * post-run check in after(). Nothing here is recorded in the Gatling report.
 */
final class FirstVisitApi {

  static final ObjectMapper JSON = new ObjectMapper();
  static final DateTimeFormatter OFFSET_DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX");

  private final HttpClient client = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5))
      .build();
  private final String baseUrl;

  FirstVisitApi(String baseUrl) {
    this.baseUrl = baseUrl;
  }

  record SlotSpec(OffsetDateTime start, OffsetDateTime end, int capacity) {}

  record SlotInventory(String id, int capacity, int remaining, int confirmed) {}

  /** A response the set-up did not expect: the request and what came back, for the report. */
  static final class UnexpectedResponse extends RuntimeException {
    final int status;

    UnexpectedResponse(String request, int status, String body) {
      super(request + " -> " + status + " " + abbreviate(body));
      this.status = status;
    }
  }

  JsonNode hospitals() {
    return send("GET", "/api/v1/hospitals", null, null, 200);
  }

  /** Returns the new doctor's id as the service wrote it (string or number). */
  JsonNode createDoctor(String schedulerToken, String hospital, String department, String name) {
    ObjectNode body = JSON.createObjectNode()
        .put("hospital", hospital)
        .put("department", department)
        .put("name", name)
        .put("title", "Attending")
        .put("firstVisitQualified", true);
    return send("POST", "/api/v1/admin/doctors", schedulerToken, body, 201).path("id");
  }

  /** Publishes one batch (the API takes 1..500 slots per call); returns the slots' ids in order. */
  List<JsonNode> publishSlots(String schedulerToken, JsonNode doctorId, OffsetDateTime releaseAt, List<SlotSpec> slots) {
    return publishSlots(schedulerToken, doctorId, releaseAt, slots, null);
  }

  /** The same with an admission ({@code {"mode":"QUEUE",...}}), or null for the department-day's default. */
  List<JsonNode> publishSlots(String schedulerToken, JsonNode doctorId, OffsetDateTime releaseAt, List<SlotSpec> slots,
                              JsonNode admission) {
    ObjectNode body = JSON.createObjectNode();
    body.set("doctorId", doctorId);
    body.put("visitType", "FIRST");
    body.put("releaseAt", releaseAt.format(OFFSET_DATE_TIME));
    if (admission != null) {
      body.set("admission", admission);
    }
    ArrayNode array = body.putArray("slots");
    for (SlotSpec slot : slots) {
      array.addObject()
          .put("start", slot.start().format(OFFSET_DATE_TIME))
          .put("end", slot.end().format(OFFSET_DATE_TIME))
          .put("capacity", slot.capacity());
    }
    JsonNode created = send("POST", "/api/v1/admin/slots", schedulerToken, body, 201).path("slots");
    List<JsonNode> ids = new ArrayList<>();
    created.forEach(slot -> ids.add(slot.path("id")));
    if (ids.size() != slots.size() || ids.stream().anyMatch(JsonNode::isMissingNode)) {
      throw new IllegalStateException("POST /api/v1/admin/slots returned " + ids.size() + " slot ids for "
          + slots.size() + " slots: " + abbreviate(created.toString()));
    }
    return ids;
  }

  JsonNode createPatient(String patientToken, String name, LocalDate birthDate, String sex) {
    ObjectNode body = JSON.createObjectNode()
        .put("name", name)
        .put("birthDate", birthDate.toString())
        .put("sex", sex);
    return send("POST", "/api/v1/patients", patientToken, body, 201).path("id");
  }

  /** The patient's bookings as their own account sees them ({@code GET /api/v1/bookings?patientId=}). */
  JsonNode bookingsOf(String patientToken, String patientId) {
    return send("GET", "/api/v1/bookings?patientId=" + URLEncoder.encode(patientId, StandardCharsets.UTF_8),
        patientToken, null, 200);
  }

  SlotInventory slotInventory(String schedulerToken, String slotId) {
    JsonNode slot = send("GET", "/api/v1/admin/slots/" + URLEncoder.encode(slotId, StandardCharsets.UTF_8),
        schedulerToken, null, 200);
    return new SlotInventory(slot.path("id").asText(), slot.path("capacity").asInt(-1),
        slot.path("remaining").asInt(-1), slot.path("confirmed").asInt(-1));
  }

  private JsonNode send(String method, String path, String token, JsonNode body, int expectedStatus) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
        .timeout(Duration.ofSeconds(30))
        .header("Accept", "application/json");
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    if (body != null) {
      request.header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofString(body.toString()));
    } else {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    }
    String described = method + " " + path;
    try {
      HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != expectedStatus) {
        throw new UnexpectedResponse(described + (body == null ? "" : " " + abbreviate(body.toString())),
            response.statusCode(), response.body());
      }
      return response.body().isEmpty() ? JSON.missingNode() : JSON.readTree(response.body());
    } catch (IOException e) {
      throw new IllegalStateException(described + " on " + baseUrl + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(described + " interrupted", e);
    }
  }

  static String abbreviate(String text) {
    if (text == null) {
      return "";
    }
    return text.length() <= 400 ? text : text.substring(0, 400) + "...";
  }
}
