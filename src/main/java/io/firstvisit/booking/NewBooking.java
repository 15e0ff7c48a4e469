package io.firstvisit.booking;

import io.firstvisit.schedule.SlotView;

import java.time.Instant;
import java.util.UUID;

/** A booking that won its seat in Redis and now waits for its row to be committed. Its id is the reservation id. */
public record NewBooking(UUID id, SlotView slot, int seat, UUID patientId, String accountId, String idempotencyKey,
                         Instant createdAt) {
}
