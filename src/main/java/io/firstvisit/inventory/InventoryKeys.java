package io.firstvisit.inventory;

import jakarta.enterprise.context.ApplicationScoped;

import java.util.UUID;

/** Every Redis key name, in one place. Keys of a department-day carry its hash tag. */
@ApplicationScoped
public class InventoryKeys {

    private final String prefix;

    public InventoryKeys(InventoryConfig config) {
        this.prefix = config.keyPrefix();
    }

    public String warm(DepartmentDay day) {
        return prefix + ":" + day.hashTag() + ":warm";
    }

    public String capacity(DepartmentDay day) {
        return prefix + ":" + day.hashTag() + ":capacity";
    }

    public String views(DepartmentDay day) {
        return prefix + ":" + day.hashTag() + ":views";
    }

    public String seatsPrefix(DepartmentDay day) {
        return prefix + ":" + day.hashTag() + ":seats:";
    }

    public String seats(DepartmentDay day, UUID slotId) {
        return seatsPrefix(day) + slotId;
    }

    public String holders(DepartmentDay day) {
        return prefix + ":" + day.hashTag() + ":holders";
    }

    public String reservations(DepartmentDay day) {
        return prefix + ":" + day.hashTag() + ":reservations";
    }

    public String accounts(DepartmentDay day) {
        return prefix + ":" + day.hashTag() + ":accounts";
    }

    /** Slots the hospital cancelled: slotId -> "1". */
    public String cancelled(DepartmentDay day) {
        return prefix + ":" + day.hashTag() + ":cancelled";
    }

    /** Ids of the department-day's WAITING waitlist entries (issue 11 §2): while it is not empty, returned seats are parked. */
    public String waiting(DepartmentDay day) {
        return prefix + ":" + day.hashTag() + ":waiting";
    }

    /** Seats returned while entries were waiting, "slotId seat" in the order they came back, kept for the waitlist. */
    public String parked(DepartmentDay day) {
        return prefix + ":" + day.hashTag() + ":parked";
    }

    public String pending(DepartmentDay day) {
        return prefix + ":" + day.hashTag() + ":pending";
    }

    /** The waiting room of a QUEUE department-day: present once its tickets are in Redis (queue.lua). */
    public String queueLoaded(DepartmentDay day) {
        return prefix + ":" + day.hashTag() + ":queue:loaded";
    }

    /** The line: ticket id -> score (a pre-queue ticket's draw in [0, 1), or 1 + n for the n-th to join after). */
    public String queueLine(DepartmentDay day) {
        return prefix + ":" + day.hashTag() + ":queue:line";
    }

    /** Ticket id -> "admitMicros account" ("-" for a pre-queue ticket, whose instant follows from its position). */
    public String queueTickets(DepartmentDay day) {
        return prefix + ":" + day.hashTag() + ":queue:tickets";
    }

    /** The back of the line: joined (tickets placed after the release) and tail (the next free admission instant). */
    public String queueMeta(DepartmentDay day) {
        return prefix + ":" + day.hashTag() + ":queue:meta";
    }

    /** Index of department-days that have inventory, for the reservation reaper. */
    public String knownDays() {
        return prefix + ":days";
    }

    public String slotView(UUID slotId) {
        return prefix + ":slot:" + slotId;
    }

    public String patientCard(UUID patientId) {
        return prefix + ":patient:" + patientId;
    }

    /**
     * The patient's visit history (issue 10 §5): "HOSPITAL:DEPARTMENT" -> epoch day of the latest COMPLETED visit
     * there. No hash tag: it is read and written on its own, never by a department-day's script.
     */
    public String seen(UUID patientId) {
        return prefix + ":seen:" + patientId;
    }

    /** An Idempotency-Key's record (a hash, see claim-key.lua; ":idem:" held the earlier string records). */
    public String idempotency(String account, String keyDigest) {
        return prefix + ":key:" + account + ":" + keyDigest;
    }
}
