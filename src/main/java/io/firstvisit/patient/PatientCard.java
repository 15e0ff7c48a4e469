package io.firstvisit.patient;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.LocalDate;
import java.time.Period;
import java.util.UUID;

/**
 * What the booking path needs of a patient: who owns it and how old the child is. No name: this is
 * what goes into Redis and caches, and personal data stays in PostgreSQL.
 */
@RegisterForReflection
// Kept in Redis: an instance of an older version must still read a card a newer one wrote.
@JsonIgnoreProperties(ignoreUnknown = true)
public record PatientCard(UUID id, String accountId, LocalDate birthDate) {

    /** Age in full years on the given date. */
    public int ageOn(LocalDate date) {
        return Period.between(birthDate, date).getYears();
    }
}
