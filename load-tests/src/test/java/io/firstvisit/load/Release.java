package io.firstvisit.load;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One release set up the way a scheduler would, through the API: a first-visit doctor for the
 * hospital/department, N slots of capacity C on one date opening at releaseAt, and P patients on P
 * accounts (one child per account). Prepared in before(), read by the virtual users and by the
 * post-run check.
 */
final class Release {

  /** A parent's account, the token they book with, and their child's patient id. */
  record Patient(String account, String token, JsonNode id) {}

  /** Slot dates are calendar dates in the hospitals' zone; slots are laid out 08:00-22:00. */
  static final ZoneId HOSPITAL_ZONE = ZoneId.of("Asia/Shanghai");
  private static final LocalTime FIRST_SLOT = LocalTime.of(8, 0);
  private static final int DAY_MINUTES = 14 * 60;
  private static final int MAX_SLOTS_PER_PUBLISH = 500;

  final LoadConfig config;
  final FirstVisitApi api;
  final String schedulerToken;
  private final DevTokens tokens;
  private final AtomicInteger handedOut = new AtomicInteger();

  // Written once by prepare() before any virtual user starts, read-only afterwards.
  private volatile Map<String, JsonNode> slotIds = Map.of();
  private volatile List<Patient> patients = List.of();
  private volatile Instant releaseAt = Instant.EPOCH;
  /** The release's admission as published: null (FIRST_COME) unless a queued simulation set one. */
  private volatile JsonNode admission;

  /** Publishes the slots with this admission (QUEUE: the waiting room); call before prepare(). */
  Release withAdmission(JsonNode admission) {
    this.admission = admission;
    return this;
  }

  Release(LoadConfig config) {
    this.config = config;
    this.api = new FirstVisitApi(config.firstBaseUrl());
    this.tokens = new DevTokens(config.privateKey, config.issuer);
    this.schedulerToken = tokens.scheduler(config.runId + "-scheduler");
  }

  /**
   * Creates the doctor and the patients first (the slow part), then publishes the slots with
   * releaseAt = now + releaseDelaySeconds, so the release opens that long after set-up ends.
   */
  void prepare(int patientCount) {
    long started = System.nanoTime();
    int maxAge = maxPatientAge();
    JsonNode doctorId = api.createDoctor(schedulerToken, config.hospital, config.department,
        "Load " + config.runId);
    patients = createPatients(patientCount, maxAge);
    releaseAt = Instant.now().plusSeconds(config.releaseDelaySeconds).truncatedTo(ChronoUnit.SECONDS);
    slotIds = publishSlots(doctorId, releaseAt.atZone(HOSPITAL_ZONE).toOffsetDateTime());
    System.out.printf("[setup] run %s: %d slots x capacity %d for %s/%s on %s, %d patients, releaseAt %s (set-up took %d ms)%n",
        config.runId, slotIds.size(), config.capacity, config.hospital, config.department, config.date,
        patients.size(), releaseAt.atZone(HOSPITAL_ZONE).format(FirstVisitApi.OFFSET_DATE_TIME),
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
  }

  /** Each virtual user takes the next patient; past P they wrap around (and get already-booked). */
  Patient nextPatient() {
    List<Patient> all = patients;
    return all.get(Math.floorMod(handedOut.getAndIncrement(), all.size()));
  }

  /** True once more parents arrived than patients were created, so some patient was used twice. */
  boolean patientsReused() {
    return handedOut.get() > patients.size();
  }

  int patientsHandedOut() {
    return handedOut.get();
  }

  int patientCount() {
    return patients.size();
  }

  boolean isOurs(String slotId) {
    return slotIds.containsKey(slotId);
  }

  JsonNode slotIdAsJson(String slotId) {
    return slotIds.get(slotId);
  }

  Collection<String> slotIds() {
    return slotIds.keySet();
  }

  Instant releaseAt() {
    return releaseAt;
  }

  /** The one-booking-per-patient rule is per hospital, department and date. */
  String departmentDay() {
    return config.hospital + "/" + config.department + "/" + config.date;
  }

  String ticketBody() {
    return "{\"hospital\":\"" + config.hospital + "\",\"department\":\"" + config.department + "\",\"date\":\"" + config.date + "\"}";
  }

  String availabilityPath() {
    return "/api/v1/slots?hospital=" + encode(config.hospital) + "&department=" + encode(config.department)
        + "&date=" + config.date + "&visitType=FIRST";
  }

  private int maxPatientAge() {
    for (JsonNode hospital : api.hospitals()) {
      if (!config.hospital.equals(hospital.path("code").asText())) {
        continue;
      }
      for (JsonNode department : hospital.path("departments")) {
        if (config.department.equals(department.path("code").asText())) {
          return Math.min(18, department.path("maxPatientAge").asInt(18));
        }
      }
    }
    throw new IllegalArgumentException("GET /api/v1/hospitals does not list " + config.hospital + "/"
        + config.department + " (pass -Dhospital=... -Ddepartment=...)");
  }

  private List<Patient> createPatients(int count, int maxAge) {
    // Old enough to exist today, young enough for the department on the slot date.
    LocalDate youngest = min(LocalDate.now(HOSPITAL_ZONE), config.date).minusMonths(1);
    LocalDate oldest = config.date.minusYears(maxAge).plusDays(1);
    if (oldest.isAfter(youngest)) {
      throw new IllegalArgumentException("no birth date fits: -Ddate=" + config.date + " is too far ahead for "
          + config.department + " (max age " + maxAge + ")");
    }
    long span = ChronoUnit.DAYS.between(oldest, youngest) + 1;
    ExecutorService pool = Executors.newFixedThreadPool(config.setupConcurrency);
    try {
      List<Future<Patient>> pending = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        String account = String.format("%s-p%06d", config.runId, i);
        LocalDate birthDate = oldest.plusDays(ThreadLocalRandom.current().nextLong(span));
        String sex = (i % 2 == 0) ? "FEMALE" : "MALE";
        pending.add(pool.submit(() -> {
          String token = tokens.patient(account);
          return new Patient(account, token, api.createPatient(token, "Child " + account, birthDate, sex));
        }));
      }
      List<Patient> created = new ArrayList<>(count);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60 + count / 10);
      for (Future<Patient> patient : pending) {
        created.add(patient.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
      }
      return List.copyOf(created);
    } catch (ExecutionException e) {
      throw new IllegalStateException("creating patients failed: " + e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("creating " + count + " patients did not finish in time", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating patients", e);
    } finally {
      pool.shutdownNow();
    }
  }

  private Map<String, JsonNode> publishSlots(JsonNode doctorId, OffsetDateTime releaseAtLocal) {
    // Consecutive, non-overlapping slots for the one doctor, all starting on the configured date.
    int minutes = Math.max(1, Math.min(15, DAY_MINUTES / config.slots));
    List<FirstVisitApi.SlotSpec> specs = new ArrayList<>(config.slots);
    for (int i = 0; i < config.slots; i++) {
      ZonedDateTime start = config.date.atTime(FIRST_SLOT).atZone(HOSPITAL_ZONE).plusMinutes((long) i * minutes);
      specs.add(new FirstVisitApi.SlotSpec(start.toOffsetDateTime(), start.plusMinutes(minutes).toOffsetDateTime(),
          config.capacity));
    }
    Map<String, JsonNode> ids = new LinkedHashMap<>();
    for (int from = 0; from < specs.size(); from += MAX_SLOTS_PER_PUBLISH) {
      List<FirstVisitApi.SlotSpec> batch = specs.subList(from, Math.min(specs.size(), from + MAX_SLOTS_PER_PUBLISH));
      for (JsonNode id : api.publishSlots(schedulerToken, doctorId, releaseAtLocal, batch, admission)) {
        ids.put(id.asText(), id);
      }
    }
    return Collections.unmodifiableMap(ids);
  }

  private static LocalDate min(LocalDate a, LocalDate b) {
    return a.isBefore(b) ? a : b;
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
