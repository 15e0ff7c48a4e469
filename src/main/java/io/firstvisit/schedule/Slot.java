package io.firstvisit.schedule;

import io.firstvisit.catalog.Department;
import io.firstvisit.catalog.Doctor;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;

import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

/** A doctor's consultation slot: {@code capacity} patients between start and end, bookable from releaseAt. */
@Entity
@Table(name = "slot")
public class Slot extends PanacheEntityBase {

    @Id
    public UUID id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "doctor_id")
    public Doctor doctor;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "department_id")
    public Department department;

    /** Calendar date of {@link #startAt} in the hospital's zone. */
    @Column(name = "visit_date", nullable = false)
    public LocalDate visitDate;

    @Enumerated(EnumType.STRING)
    @Column(name = "visit_type", nullable = false)
    public VisitType visitType;

    @Column(name = "start_at", nullable = false)
    public Instant startAt;

    @Column(name = "end_at", nullable = false)
    public Instant endAt;

    @Column(nullable = false)
    public int capacity;

    /** In fen; 0 for a free slot. */
    @Column(nullable = false)
    public int fee;

    @Column(name = "release_at", nullable = false)
    public Instant releaseAt;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
}
