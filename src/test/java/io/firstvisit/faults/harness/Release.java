package io.firstvisit.faults.harness;

import io.firstvisit.support.Tokens;
import io.firstvisit.testkit.FirstVisitClient;
import io.firstvisit.testkit.FirstVisitClient.NewPatient;
import io.firstvisit.testkit.FirstVisitClient.Publication;
import io.firstvisit.testkit.FirstVisitClient.SlotCounts;
import io.firstvisit.testkit.FirstVisitClient.SlotSpec;

import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A release minute set up through the public API, as the README walk-through does: a scheduler
 * registers a doctor and publishes small slots that are already open, and every parent in the crowd
 * adds one child under their own account. A separate probe slot (same department-day, so it shares
 * the fate of the surge's inventory) measures when bookings resume after a fault.
 */
public final class Release {

    public static final ZoneOffset BEIJING = FirstVisitClient.BEIJING;
    /** One client per instance; set-up requests wait up to 15 s, a probe of the counts 5 s. */
    private static final Map<String, FirstVisitClient> CLIENTS = new ConcurrentHashMap<>();
    private static final Duration SLOT_LENGTH = Duration.ofMinutes(15);

    /** One parent with one child, and the token the parent's app sends. */
    public record Parent(String account, String token, String patientId) {
    }

    /** @param departmentDay the inventory's hash tag, {@code HOSPITAL:DEPARTMENT:DATE} */
    public record PublishedSlot(String id, int capacity, String departmentDay) {
    }

    private static final String HOSPITAL = "BCH";
    private static final String DEPARTMENT = "DERMATOLOGY";

    private final LocalDate date;
    private final List<PublishedSlot> slots;
    private final PublishedSlot probeSlot;
    private final List<Parent> crowd;
    private final List<Parent> probeParents;

    private Release(LocalDate date, List<PublishedSlot> slots, PublishedSlot probeSlot, List<Parent> crowd, List<Parent> probeParents) {
        this.date = date;
        this.slots = slots;
        this.probeSlot = probeSlot;
        this.crowd = crowd;
        this.probeParents = probeParents;
    }

    /**
     * Publishes {@code slotCount} slots of {@code capacity} at BCH DERMATOLOGY a week from now, a probe
     * slot of {@code probeCapacity}, and creates {@code crowdSize} + {@code probeParents} parents.
     */
    public static Release publish(String baseUrl, String scenario, int slotCount, int capacity, int crowdSize,
                                  int probeCapacity, int probeParents) {
        return publish(baseUrl, scenario, List.of(LocalDate.now(BEIJING).plusDays(7)), slotCount, capacity, crowdSize, probeCapacity, probeParents);
    }

    /**
     * The same over several department-days (one per date, so one inventory hash tag each): {@code slotsPerDay}
     * slots on every date, interleaved day by day in {@link #slots()}; the probe slot is on the first date.
     */
    public static Release publish(String baseUrl, String scenario, List<LocalDate> dates, int slotsPerDay, int capacity,
                                  int crowdSize, int probeCapacity, int probeParents) {
        LocalDate date = dates.get(0);
        String doctor = doctor(baseUrl, HOSPITAL, DEPARTMENT);
        List<List<PublishedSlot>> perDay = dates.stream().map(d -> publishSlots(baseUrl, doctor, d, 0, slotsPerDay, capacity)).toList();
        List<PublishedSlot> slots = new ArrayList<>();
        for (int i = 0; i < slotsPerDay; i++) {
            for (List<PublishedSlot> day : perDay) {
                slots.add(day.get(i));
            }
        }
        PublishedSlot probe = publishSlots(baseUrl, doctor, date, slotsPerDay, 1, probeCapacity).get(0);
        List<Parent> parents = parents(baseUrl, scenario + "-parent-", crowdSize + probeParents);
        return new Release(date, slots, probe, parents.subList(0, crowdSize), parents.subList(crowdSize, parents.size()));
    }

    /**
     * Books {@code count} places in another department, so the booking path's classes are loaded and
     * compiled before the measured surge (the first requests of a fresh JVM are ten times slower).
     */
    public static void warmUp(String baseUrl, String scenario, int count) {
        LocalDate date = LocalDate.now(BEIJING).plusDays(8);
        String slot = publishSlots(baseUrl, doctor(baseUrl, "BCH", "NUTRITION"), date, 0, 1, count).get(0).id();
        for (Parent parent : parents(baseUrl, scenario + "-warmup-", count)) {
            FirstVisitClient.Answer answer = client(baseUrl).book(parent.token(), slot, parent.patientId(), UUID.randomUUID().toString());
            if (answer.status() != 201) {
                throw new IllegalStateException("Warm-up booking answered " + answer.status() + ": " + answer.body());
            }
        }
    }

    public LocalDate date() {
        return date;
    }

    /** The department-day of the probe slot (the only one, unless published over several dates). */
    public String departmentDay() {
        return departmentDay(date);
    }

    /** Every department-day of this release, the probe's first. */
    public List<String> departmentDays() {
        return allSlots().stream().map(PublishedSlot::departmentDay).distinct().sorted(
                java.util.Comparator.comparing((String day) -> !day.equals(departmentDay()))).toList();
    }

    public static String departmentDay(LocalDate date) {
        return HOSPITAL + ":" + DEPARTMENT + ":" + date;
    }

    public List<PublishedSlot> slots() {
        return slots;
    }

    public PublishedSlot probeSlot() {
        return probeSlot;
    }

    /** The surge slots and the probe slot: everything the invariants are checked on. */
    public List<PublishedSlot> allSlots() {
        List<PublishedSlot> all = new ArrayList<>(slots);
        all.add(probeSlot);
        return all;
    }

    public List<Parent> crowd() {
        return crowd;
    }

    public List<Parent> probeParents() {
        return probeParents;
    }

    public int seats() {
        return slots.stream().mapToInt(PublishedSlot::capacity).sum();
    }

    /** GET /api/v1/admin/slots/{id}: {@code remaining} (Redis) and {@code confirmed} (PostgreSQL). */
    public static SlotCounts slotCounts(String baseUrl, String slotId) {
        return client(baseUrl).withTimeout(Duration.ofSeconds(5)).slotCounts(scheduler(), slotId);
    }

    private static String doctor(String baseUrl, String hospital, String department) {
        return client(baseUrl).doctor(scheduler(), hospital, department, "Dr. Fault " + UUID.randomUUID(), true);
    }

    private static List<PublishedSlot> publishSlots(String baseUrl, String doctor, LocalDate date, int firstIndex, int count, int capacity) {
        LocalTime first = LocalTime.of(8, 0).plus(SLOT_LENGTH.multipliedBy(firstIndex));
        Publication publication = Publication.firstCome(doctor, OffsetDateTime.now(BEIJING).minusMinutes(1),
                SlotSpec.series(date, first, SLOT_LENGTH, count, capacity));
        return client(baseUrl).publish(scheduler(), publication).stream()
                .map(slot -> new PublishedSlot(slot.id(), slot.capacity(), departmentDay(date))).toList();
    }

    /** One account with {@code children} children: a scripted client that rotates patients to grab places. */
    public static List<Parent> family(String baseUrl, String account, int children) {
        String token = Tokens.patient(account);
        List<Parent> family = new ArrayList<>();
        for (int i = 0; i < children; i++) {
            String id = client(baseUrl).patient(new NewPatient(token, "Child " + i + " of " + account,
                    LocalDate.now(BEIJING).minusYears(3 + i % 10), i % 2 == 0 ? "FEMALE" : "MALE"));
            family.add(new Parent(account, token, id));
        }
        return family;
    }

    /** Creates parents concurrently (a few hundred take a second or two). */
    private static List<Parent> parents(String baseUrl, String prefix, int count) {
        List<NewPatient> children = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String account = prefix + i;
            children.add(new NewPatient(Tokens.patient(account), "Child " + account, LocalDate.now(BEIJING).minusYears(5), "FEMALE"));
        }
        List<String> ids = client(baseUrl).patients(children, 8);
        List<Parent> parents = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            parents.add(new Parent(prefix + i, children.get(i).token(), ids.get(i)));
        }
        return parents;
    }

    private static FirstVisitClient client(String baseUrl) {
        return CLIENTS.computeIfAbsent(baseUrl, url -> new FirstVisitClient(url).withTimeout(Duration.ofSeconds(15)));
    }

    private static String scheduler() {
        return SchedulerToken.TOKEN;
    }

    /** Signed once, lazily: Tokens reads the development key from bin/dev-keys. */
    private static final class SchedulerToken {
        static final String TOKEN = Tokens.scheduler("faults-scheduler");
    }
}
