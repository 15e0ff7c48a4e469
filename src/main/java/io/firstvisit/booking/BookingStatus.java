package io.firstvisit.booking;

public enum BookingStatus {
    CONFIRMED, CANCELLED
}
