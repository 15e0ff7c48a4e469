package io.firstvisit.inventory;

import java.util.UUID;

/** What offer.lua did for one waitlist entry's patient. */
public sealed interface Offer {

    /** The parked seat {@code seat} of {@code slotId} is reserved for the patient (a reservation like reserve.lua's). */
    record Offered(UUID slotId, int seat) implements Offer {
    }

    /** No seat is parked for the day (another offer took it, or it went back to open booking). */
    record None() implements Offer {
    }

    /** The patient already holds a place that day: this entry cannot be offered one. */
    record AlreadyBooked() implements Offer {
    }

    /** The patient's account holds as many places that day as one account may. */
    record AccountLimit() implements Offer {
    }

    /** Redis has no inventory for the day (lost): the rebuild and the reconciler come first. */
    record Cold() implements Offer {
    }

    static Offer of(io.vertx.mutiny.redis.client.Response reply) {
        String outcome = reply.get(0).toString();
        return switch (outcome) {
            case "OFFERED" -> new Offered(UUID.fromString(reply.get(1).toString()), reply.get(2).toInteger());
            case "NONE" -> new None();
            case "ALREADY_BOOKED" -> new AlreadyBooked();
            case "ACCOUNT_LIMIT" -> new AccountLimit();
            case "COLD" -> new Cold();
            default -> throw new IllegalStateException("offer.lua answered " + outcome);
        };
    }
}
