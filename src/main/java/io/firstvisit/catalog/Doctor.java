package io.firstvisit.catalog;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

@Entity
@Table(name = "doctor")
public class Doctor extends PanacheEntityBase {

    @Id
    public UUID id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "department_id")
    public Department department;

    @Column(nullable = false)
    public String name;

    @Column(nullable = false)
    public String title;

    /** Only doctors qualified for first visits may publish FIRST slots. */
    @Column(name = "first_visit_qualified", nullable = false)
    public boolean firstVisitQualified;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
}
