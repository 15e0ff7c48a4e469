package io.firstvisit.schedule;

/** How a department-day's places are handed out at its release instant. */
public enum AdmissionMode {
    /** The race: whoever reaches Redis first after the release instant. */
    FIRST_COME,
    /** The waiting room: tickets, a random order for those who came early, admission at a fixed rate. */
    QUEUE
}
