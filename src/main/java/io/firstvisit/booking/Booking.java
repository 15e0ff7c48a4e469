package io.firstvisit.booking;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

/**
 * A booking row, for reading. Rows are written by {@link BookingWriter} (group commit on the reactive
 * client), not through this entity: the hot path does not go through the ORM.
 */
@Entity
@Table(name = "booking")
public class Booking extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "slot_id", nullable = false)
    public UUID slotId;

    @Column(nullable = false)
    public int seat;

    @Column(name = "slot_capacity", nullable = false)
    public int slotCapacity;

    @Column(name = "patient_id", nullable = false)
    public UUID patientId;

    @Column(name = "account_id", nullable = false)
    public String accountId;

    @Column(name = "department_id", nullable = false)
    public UUID departmentId;

    @Column(name = "visit_date", nullable = false)
    public LocalDate visitDate;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public BookingStatus status;

    @Column(name = "idempotency_key")
    public String idempotencyKey;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "cancelled_at")
    public Instant cancelledAt;

    /** In fen; copied from the slot when booked. */
    @Column(nullable = false)
    public int fee;

    @Column(name = "hold_expires_at")
    public Instant holdExpiresAt;

    @Column(name = "paid_at")
    public Instant paidAt;

    @Column(name = "payment_id")
    public String paymentId;

    @Column(name = "expired_at")
    public Instant expiredAt;

    @Column(name = "rescheduled_to")
    public UUID rescheduledTo;

    @Column(name = "rescheduled_from")
    public UUID rescheduledFrom;

    @Column(name = "cancel_reason")
    public String cancelReason;

    @Column(name = "checked_in_at")
    public Instant checkedInAt;

    @Column(name = "completed_at")
    public Instant completedAt;

    @Column(name = "no_show_at")
    public Instant noShowAt;

    /** The COMPLETED booking this follow-up continues, when the family named one (V9). */
    @Column(name = "follow_up_of")
    public UUID followUpOf;

    /** The waitlist entry this booking was offered to (V11), when it began as a waitlist offer. */
    @Column(name = "waitlist_entry_id")
    public UUID waitlistEntryId;
}
