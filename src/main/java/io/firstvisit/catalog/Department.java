package io.firstvisit.catalog;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;

import java.util.UUID;

@Entity
@Table(name = "department")
public class Department extends PanacheEntityBase {

    @Id
    public UUID id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "hospital_id")
    public Hospital hospital;

    @Column(nullable = false)
    public String code;

    /** The English name. */
    @Column(nullable = false)
    public String name;

    /** The zh-CN name. */
    @Column(name = "name_zh", nullable = false)
    public String nameZh;

    /** Oldest age, in full years on the visit date, that this department sees. */
    @Column(name = "max_patient_age", nullable = false)
    public int maxPatientAge;
}
