package io.firstvisit.queue;

/** Where a ticket stands, as a parent's app shows it. */
public enum TicketState {
    /** In the line; {@code estimatedAdmitAt} says when its turn comes (unknown until the release instant). */
    WAITING,
    /** Its turn: the account may book the department-day's slots with this ticket until {@code admittedUntil}. */
    ADMITTED,
    /** The pass ended unused; asking for a ticket again queues at the back. */
    EXPIRED,
    /** Still waiting, but every slot of the day is taken: the waitlist is the way on. */
    SOLD_OUT
}
