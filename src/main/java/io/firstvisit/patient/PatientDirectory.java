package io.firstvisit.patient;

import io.firstvisit.redis.GuardedRedis;
import io.firstvisit.common.JsonCodec;
import io.firstvisit.problem.Problem;
import io.firstvisit.inventory.InventoryKeys;
import io.quarkus.cache.CacheResult;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.UUID;

/**
 * Finds a patient card for the booking path: this instance's cache, then Redis, then PostgreSQL (only
 * when Redis lost it). Profiles are written once and never change, so caches cannot go stale.
 */
@ApplicationScoped
public class PatientDirectory {

    /** Cards stay in Redis for a year after their last write; PostgreSQL remains the record. */
    private static final long REDIS_TTL_SECONDS = 366L * 24 * 3600;

    private final GuardedRedis redis;
    private final InventoryKeys keys;
    private final JsonCodec json;

    public PatientDirectory(GuardedRedis redis, InventoryKeys keys, JsonCodec json) {
        this.redis = redis;
        this.keys = keys;
        this.json = json;
    }

    /** The card, or a 404 {@code patient-not-found} problem. Ownership is checked by the caller. */
    @CacheResult(cacheName = "patient-cards")
    public Uni<PatientCard> find(UUID id) {
        return redis.get(keys.patientCard(id)).flatMap(cached -> cached != null
                ? Uni.createFrom().item(parse(cached))
                : Panache.withSession(() -> Patient.<Patient>findById(id)).flatMap(patient -> {
                    if (patient == null) {
                        return Uni.createFrom().failure(notFound());
                    }
                    PatientCard card = new PatientCard(patient.id, patient.accountId, patient.birthDate);
                    return remember(card).replaceWith(card);
                }));
    }

    public Uni<Void> remember(PatientCard card) {
        return redis.set(List.of(keys.patientCard(card.id()), json.write(card), "EX", Long.toString(REDIS_TTL_SECONDS)))
                .replaceWithVoid();
    }

    public static Problem notFound() {
        return Problem.notFound("patient-not-found");
    }

    private PatientCard parse(String text) {
        return json.read(text, PatientCard.class);
    }
}
