package io.firstvisit.inventory;

/**
 * A returned seat of {@code day} was parked for its waitlist (release.lua, I12): whoever offers places to waiting
 * entries should look at the day now. Fired synchronously by {@link Inventory}; an observer must not block.
 * A lost notice costs at most the waitlist's sweep interval.
 */
public record SeatParked(DepartmentDay day) {
}
