package io.firstvisit.inventory;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.List;
import java.util.UUID;

/**
 * One slot as warm.lua loads it: its free seats and the seats held by active bookings, both computed
 * from one PostgreSQL snapshot, and whether the hospital cancelled it.
 */
@RegisterForReflection
public record WarmSlot(UUID id, int capacity, String view, boolean cancelled, List<Integer> free, List<HeldSeat> active) {

    @RegisterForReflection
    public record HeldSeat(UUID id, int seat, UUID patient, long created, String account) {
    }

    /** A slot nobody has booked yet: seats 1..capacity are free. */
    public static WarmSlot fresh(UUID id, int capacity, String view) {
        return new WarmSlot(id, capacity, view, false, java.util.stream.IntStream.rangeClosed(1, capacity).boxed().toList(), List.of());
    }
}
