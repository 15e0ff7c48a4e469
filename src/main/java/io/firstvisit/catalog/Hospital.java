package io.firstvisit.catalog;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.util.UUID;

@Entity
@Table(name = "hospital")
public class Hospital extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(nullable = false, unique = true)
    public String code;

    /** The English name. */
    @Column(nullable = false)
    public String name;

    /** The zh-CN name. */
    @Column(name = "name_zh", nullable = false)
    public String nameZh;

    @Column(name = "time_zone", nullable = false)
    public String timeZone;
}
