package io.firstvisit.booking;

/**
 * What a scheduler records about a visit, and the one move of {@link BookingStatus} each stands for. Every
 * other move is refused (409 {@code invalid-transition}); asking for the move a booking already made answers
 * the booking unchanged, so a scheduler's retry after a lost answer is harmless.
 */
public enum VisitOutcome {
    /** The patient arrived; a booking still waiting for its payment cannot be checked in. */
    CHECK_IN(BookingStatus.CONFIRMED, BookingStatus.CHECKED_IN),
    COMPLETE(BookingStatus.CHECKED_IN, BookingStatus.COMPLETED),
    /** Only once the slot has started: before that, the patient may still come. */
    NO_SHOW(BookingStatus.CONFIRMED, BookingStatus.NO_SHOW);

    private final BookingStatus from;
    private final BookingStatus to;

    VisitOutcome(BookingStatus from, BookingStatus to) {
        this.from = from;
        this.to = to;
    }

    public BookingStatus from() {
        return from;
    }

    public BookingStatus to() {
        return to;
    }

    public boolean needsStartedSlot() {
        return this == NO_SHOW;
    }
}
