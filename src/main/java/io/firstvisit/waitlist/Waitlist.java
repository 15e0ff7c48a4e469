package io.firstvisit.waitlist;

import io.firstvisit.booking.BookingConfig;
import io.firstvisit.catalog.Catalog;
import io.firstvisit.catalog.DepartmentInfo;
import io.firstvisit.common.HospitalTime;
import io.firstvisit.problem.Problem;
import io.firstvisit.inventory.DepartmentDay;
import io.firstvisit.inventory.Inventory;
import io.firstvisit.inventory.rebuild.InventoryRebuilder;
import io.firstvisit.patient.PatientCard;
import io.firstvisit.patient.PatientDirectory;
import io.firstvisit.schedule.SlotDirectory;
import io.firstvisit.schedule.SlotStatus;
import io.firstvisit.schedule.SlotView;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * Joining, listing and leaving a department-day's waitlist (issue 11 §2). An entry is accepted only while the day has
 * no free place (every released, not yet started slot FULL), for a patient who holds no place that day, within the
 * account's limit. It is written to PostgreSQL first (the record, and the order), then added to Redis' waiting set,
 * from which moment release.lua parks the day's returned seats for the waitlist ({@link WaitlistOfferer}).
 */
@ApplicationScoped
public class Waitlist {

    private static final Logger LOG = Logger.getLogger(Waitlist.class);
    private static final int LIST_LIMIT = 200;

    private final WaitlistQueries queries;
    private final WaitlistOfferer offerer;
    private final Catalog catalog;
    private final PatientDirectory patients;
    private final Inventory inventory;
    private final InventoryRebuilder rebuilder;
    private final SlotDirectory slots;
    private final HospitalTime time;
    private final int maxPerAccountDay;

    public Waitlist(WaitlistQueries queries, WaitlistOfferer offerer, Catalog catalog, PatientDirectory patients, Inventory inventory,
                    InventoryRebuilder rebuilder, SlotDirectory slots, HospitalTime time, BookingConfig bookingConfig) {
        this.queries = queries;
        this.offerer = offerer;
        this.catalog = catalog;
        this.patients = patients;
        this.inventory = inventory;
        this.rebuilder = rebuilder;
        this.slots = slots;
        this.time = time;
        this.maxPerAccountDay = bookingConfig.maxPerAccountDay();
    }

    /** The entry, and whether this request created it (asking again answers the patient's WAITING entry of the day). */
    public record Joined(WaitlistEntryJson entry, boolean created) {
    }

    public Uni<Joined> join(String account, String hospital, String department, LocalDate date, UUID patientId) {
        Instant now = time.now();
        return catalog.department(hospital, department)
                .flatMap(dep -> ownedPatient(account, patientId)
                        .flatMap(patient -> {
                            checkAge(dep, patient, date);
                            DepartmentDay day = new DepartmentDay(dep.hospitalCode(), dep.code(), date);
                            return requireFull(day, now).flatMap(open -> queries.holdings(patient.id(), dep.id(), date, account)
                                    .flatMap(holdings -> {
                                        if (holdings.patientBooked()) {
                                            throw Problem.of(409, "already-booked", "already-booked");
                                        }
                                        if (holdings.accountHolds() >= maxPerAccountDay) {
                                            throw Problem.of(409, "account-limit", "account-limit.waitlist", maxPerAccountDay);
                                        }
                                        return queries.join(UUID.randomUUID(), dep.id(), date, patient.id(), account, now);
                                    })
                                    .call(joined -> startWaiting(day, joined.id(), open))
                                    .flatMap(joined -> queries.owned(joined.id(), account).map(entry -> new Joined(entry, joined.created()))));
                        }));
    }

    public Uni<List<WaitlistEntryJson>> list(String account) {
        return queries.ofAccount(account, LIST_LIMIT);
    }

    public Uni<WaitlistEntryJson> find(String account, UUID entryId) {
        return queries.owned(entryId, account).map(entry -> {
            if (entry == null) {
                throw notFound();
            }
            return entry;
        });
    }

    /**
     * Leaves the queue. Leaving again answers the entry as it is; an entry whose place was offered cannot leave (409
     * {@code offer-pending}): the family declines the offer by cancelling its booking, and the place passes on.
     */
    public Uni<WaitlistEntryJson> leave(String account, UUID entryId) {
        return find(account, entryId).flatMap(entry -> {
            if (entry.state() == WaitlistState.OFFERED) {
                throw offerPending(entry);
            }
            if (entry.state() != WaitlistState.WAITING) {
                return Uni.createFrom().item(entry);
            }
            return queries.leave(entryId, account, time.now())
                    .flatMap(left -> {
                        DepartmentDay day = new DepartmentDay(entry.hospital(), entry.department(), entry.date());
                        if (!left) {
                            return find(account, entryId); // offered (or left) meanwhile
                        }
                        // The last one out may leave parked seats behind: the offerer gives them to the next entry or unparks them.
                        return inventory.stopWaiting(day, List.of(entryId))
                                .onFailure().invoke(f -> LOG.debugf("Waiting id %s left to the offerer: %s", entryId, f.toString()))
                                .onFailure().recoverWithNull()
                                .invoke(() -> offerer.offerSoon(day))
                                .chain(() -> find(account, entryId));
                    });
        });
    }

    private Uni<PatientCard> ownedPatient(String account, UUID patientId) {
        return patients.find(patientId).map(card -> {
            if (!card.accountId().equals(account)) {
                throw PatientDirectory.notFound(); // another account's child does not exist for this caller
            }
            return card;
        });
    }

    /** The booking path's age rule, on the day's date (no slot yet: the department's limit). */
    private static void checkAge(DepartmentInfo department, PatientCard patient, LocalDate date) {
        if (patient.ageOn(date) > department.maxPatientAge() || patient.birthDate().isAfter(date)) {
            throw Problem.of(422, "not-eligible", "not-eligible.age", department.maxPatientAge())
                    .with("reason", "age");
        }
    }

    /**
     * The day must be bookable and sold out: some slot released and not started, none of them with a free place. Read
     * from Redis now (not availability's short cache): a place that came back a moment ago means "book it", not "wait".
     * Returns the day's open slots (all FULL), whose seats the entry's wait.lua parks if one comes back meanwhile.
     */
    private Uni<List<UUID>> requireFull(DepartmentDay day, Instant now) {
        return inventory.availability(day)
                .flatMap(found -> found.isPresent()
                        ? Uni.createFrom().item(found)
                        : rebuilder.rebuild(day).chain(() -> inventory.availability(day)))
                .map(found -> {
                    List<Inventory.ViewWithRemaining> rows = found.orElse(List.of());
                    List<UUID> full = new java.util.ArrayList<>();
                    if (rows.isEmpty()) {
                        throw Problem.of(404, "slot-not-found", "slot-not-found.day");
                    }
                    OffsetDateTime nextRelease = null;
                    for (Inventory.ViewWithRemaining row : rows) {
                        SlotView view = slots.parse(row.viewJson());
                        SlotStatus status = SlotStatus.of(view, row.remaining(), row.cancelled(), now);
                        if (status == SlotStatus.OPEN) {
                            throw Problem.of(409, "places-available", "places-available")
                                    .with("slotId", view.id());
                        }
                        if (status == SlotStatus.FULL) {
                            full.add(view.id());
                        }
                        if (status == SlotStatus.UPCOMING) {
                            nextRelease = nextRelease == null || view.releaseAt().isBefore(nextRelease) ? view.releaseAt() : nextRelease;
                        }
                    }
                    if (full.isEmpty() && nextRelease != null) {
                        throw Problem.of(409, "not-open", "not-open.day", nextRelease)
                                .with("releaseAt", nextRelease);
                    }
                    if (full.isEmpty()) {
                        throw Problem.of(409, "closed", "closed.day");
                    }
                    return full;
                });
    }

    /** Redis hears of the entry after its commit; if it does not, the reconciler adds it from PostgreSQL. */
    private Uni<Void> startWaiting(DepartmentDay day, UUID entryId, List<UUID> open) {
        return inventory.startWaiting(day, entryId, open)
                .onFailure().invoke(f -> LOG.warnf("Waitlist entry %s not yet waiting in Redis (the reconciler adds it): %s", entryId,
                        f.toString()))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    public static Problem notFound() {
        return Problem.notFound("waitlist-entry-not-found");
    }

    private static Problem offerPending(WaitlistEntryJson entry) {
        return Problem.of(409, "offer-pending", "offer-pending", entry.bookingId())
                .with("bookingId", entry.bookingId());
    }
}
