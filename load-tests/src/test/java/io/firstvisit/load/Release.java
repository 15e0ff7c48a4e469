package io.firstvisit.load;

import io.firstvisit.testkit.DevTokens;
import io.firstvisit.testkit.FirstVisitClient;
import io.firstvisit.testkit.FirstVisitClient.NewPatient;
import io.firstvisit.testkit.FirstVisitClient.Publication;
import io.firstvisit.testkit.FirstVisitClient.PublishedSlot;
import io.firstvisit.testkit.FirstVisitClient.SlotSpec;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One release set up the way a scheduler would, through the API: a first-visit doctor for the
 * hospital/department, N slots of capacity C on one date opening at releaseAt, and P patients on P
 * accounts (one child per account). Prepared in before(), read by the virtual users and by the
 * post-run check.
 */
final class Release {

  /** A parent's account, the token they book with, and their child's patient id. */
  record Patient(String account, String token, String id) {}

  /** Slot dates are calendar dates in the hospitals' zone; slots are laid out 08:00-22:00. */
  static final ZoneId HOSPITAL_ZONE = ZoneId.of("Asia/Shanghai");
  private static final LocalTime FIRST_SLOT = LocalTime.of(8, 0);
  private static final int DAY_MINUTES = 14 * 60;

  final LoadConfig config;
  /** The test kit's client: set-up in before() and the post-run check in after(), not recorded by Gatling. */
  final FirstVisitClient api;
  final String schedulerToken;
  private final DevTokens tokens;
  private final AtomicInteger handedOut = new AtomicInteger();

  // Written once by prepare() before any virtual user starts, read-only afterwards.
  private volatile Set<String> slotIds = Set.of();
  private volatile List<Patient> patients = List.of();
  private volatile Instant releaseAt = Instant.EPOCH;
  /** The release's admission as published: null (FIRST_COME) unless a queued simulation set one. */
  private volatile Map<String, Object> admission;

  /** Publishes the slots with this admission (QUEUE: the waiting room); call before prepare(). */
  Release withAdmission(Map<String, Object> admission) {
    this.admission = admission;
    return this;
  }

  Release(LoadConfig config) {
    this.config = config;
    this.api = new FirstVisitClient(config.firstBaseUrl());
    this.tokens = DevTokens.fromPem(config.privateKey, config.issuer);
    this.schedulerToken = tokens.scheduler(config.runId + "-scheduler");
  }

  /**
   * Creates the doctor and the patients first (the slow part), then publishes the slots with
   * releaseAt = now + releaseDelaySeconds, so the release opens that long after set-up ends.
   */
  void prepare(int patientCount) {
    long started = System.nanoTime();
    int maxAge = maxPatientAge();
    String doctorId = api.doctor(schedulerToken, config.hospital, config.department, "Load " + config.runId, true);
    patients = createPatients(patientCount, maxAge);
    releaseAt = Instant.now().plusSeconds(config.releaseDelaySeconds).truncatedTo(ChronoUnit.SECONDS);
    slotIds = publishSlots(doctorId, releaseAt.atZone(HOSPITAL_ZONE).toOffsetDateTime());
    System.out.printf("[setup] run %s: %d slots x capacity %d for %s/%s on %s, %d patients, releaseAt %s (set-up took %d ms)%n",
        config.runId, slotIds.size(), config.capacity, config.hospital, config.department, config.date,
        patients.size(), releaseAt.atZone(HOSPITAL_ZONE).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME),
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
    return slotIds.contains(slotId);
  }

  Collection<String> slotIds() {
    return slotIds;
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
    for (Object hospital : api.hospitals()) {
      if (!config.hospital.equals(((Map<?, ?>) hospital).get("code"))) {
        continue;
      }
      for (Object department : (List<?>) ((Map<?, ?>) hospital).get("departments")) {
        if (config.department.equals(((Map<?, ?>) department).get("code"))) {
          Object maxAge = ((Map<?, ?>) department).get("maxPatientAge");
          return Math.min(18, maxAge instanceof Number ? ((Number) maxAge).intValue() : 18);
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
    List<NewPatient> children = new ArrayList<>(count);
    List<String> accounts = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      String account = String.format("%s-p%06d", config.runId, i);
      LocalDate birthDate = oldest.plusDays(ThreadLocalRandom.current().nextLong(span));
      accounts.add(account);
      children.add(new NewPatient(tokens.patient(account), "Child " + account, birthDate, (i % 2 == 0) ? "FEMALE" : "MALE"));
    }
    List<String> ids = api.patients(children, config.setupConcurrency);
    List<Patient> created = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      created.add(new Patient(accounts.get(i), children.get(i).token(), ids.get(i)));
    }
    return List.copyOf(created);
  }

  private Set<String> publishSlots(String doctorId, OffsetDateTime releaseAtLocal) {
    // Consecutive, non-overlapping slots for the one doctor, all starting on the configured date.
    int minutes = Math.max(1, Math.min(15, DAY_MINUTES / config.slots));
    List<SlotSpec> slots = SlotSpec.series(config.date, FIRST_SLOT, Duration.ofMinutes(minutes), config.slots, config.capacity);
    Set<String> ids = new LinkedHashSet<>();
    for (PublishedSlot slot : api.publish(schedulerToken, new Publication(doctorId, releaseAtLocal, slots, admission))) {
      ids.add(slot.id());
    }
    return Collections.unmodifiableSet(ids);
  }

  private static LocalDate min(LocalDate a, LocalDate b) {
    return a.isBefore(b) ? a : b;
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
