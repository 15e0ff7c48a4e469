package io.firstvisit.inventory;

/** What reserve.lua decided for one booking attempt. */
public sealed interface Admission {

    /** A seat is held for this reservation; {@code remaining} seats are left in the slot. */
    record Reserved(int seat, long remaining) implements Admission {
    }

    record SoldOut() implements Admission {
    }

    /** The account already holds as many places in this department-day as one account may. */
    record AccountLimit() implements Admission {
    }

    /** The patient already holds {@code reservationId} in this department-day. */
    record AlreadyBooked(String reservationId) implements Admission {
    }

    /** The hospital cancelled the slot: it is never bookable again. */
    record Cancelled() implements Admission {
    }

    /** Redis has no inventory for this department-day (never warmed, or lost): rebuild, then ask again. */
    record Cold() implements Admission {
    }

    static Admission of(io.vertx.mutiny.redis.client.Response reply) {
        String outcome = reply.get(0).toString();
        return switch (outcome) {
            case "RESERVED" -> new Reserved(reply.get(1).toInteger(), reply.get(2).toLong());
            case "SOLD_OUT" -> new SoldOut();
            case "ACCOUNT_LIMIT" -> new AccountLimit();
            case "ALREADY_BOOKED" -> new AlreadyBooked(reply.get(1).toString());
            case "COLD" -> new Cold();
            case "CANCELLED" -> new Cancelled();
            default -> throw new IllegalStateException("reserve.lua answered " + outcome);
        };
    }
}
