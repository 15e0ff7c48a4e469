package io.firstvisit.contract;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.firstvisit.client.ApiClient;
import io.firstvisit.client.ApiException;
import io.firstvisit.client.ApiResponse;
import io.firstvisit.client.api.AvailabilityApi;
import io.firstvisit.client.api.BookingsApi;
import io.firstvisit.client.api.CatalogApi;
import io.firstvisit.client.api.PatientsApi;
import io.firstvisit.client.api.PaymentsApi;
import io.firstvisit.client.api.SchedulerApi;
import io.firstvisit.client.api.WaitingRoomApi;
import io.firstvisit.client.api.WaitlistApi;
import io.firstvisit.client.model.AdmissionMode;
import io.firstvisit.client.model.AdmissionRequest;
import io.firstvisit.client.model.BookingJson;
import io.firstvisit.client.model.BookingRequest;
import io.firstvisit.client.model.BookingStatus;
import io.firstvisit.client.model.NewDoctor;
import io.firstvisit.client.model.NewPatient;
import io.firstvisit.client.model.NewSlot;
import io.firstvisit.client.model.PaymentAccepted;
import io.firstvisit.client.model.PaymentNotification;
import io.firstvisit.client.model.Problem;
import io.firstvisit.client.model.PublishSlots;
import io.firstvisit.client.model.Sex;
import io.firstvisit.client.model.SlotJson;
import io.firstvisit.client.model.SlotStatus;
import io.firstvisit.client.model.TicketJson;
import io.firstvisit.client.model.TicketRequest;
import io.firstvisit.client.model.TicketState;
import io.firstvisit.client.model.VisitType;
import io.firstvisit.client.model.WaitlistEntryJson;
import io.firstvisit.client.model.WaitlistRequest;
import io.firstvisit.client.model.WaitlistState;
import io.firstvisit.common.Signature;
import io.firstvisit.payment.PaymentSecretCheck;
import io.firstvisit.support.Tokens;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Issue 13 §1: the OpenAPI document is the contract. This test talks to the packaged service only through the
 * client generated from the document the build stored (target/openapi/openapi.json), with a JSON mapper that refuses
 * anything the document does not describe: an undocumented field, a value of the wrong type or an unknown enum
 * value fails the call, and so this test. It runs the scheduler's and the parent's journeys: publish, book, replay
 * with the key, the refusals (read as the document's Problem), cancel, the paid flow, the waitlist and the
 * waiting room. Problem titles follow the request's language: only {@code type} and {@code status} are asserted.
 */
@QuarkusIntegrationTest
class GeneratedClientIT {

    private static final ZoneOffset BEIJING = ZoneOffset.ofHours(8);
    private static final String HOSPITAL = "BCH";
    private static final String DEPARTMENT = "DERMATOLOGY";
    private static final Duration AWAIT = Duration.ofSeconds(30);
    /**
     * Each test publishes on days of its own, so the tests share nothing but the doctor registry; the first day is
     * drawn, so that a run on a database an earlier run left behind does not meet that run's department-days.
     */
    private static final AtomicInteger NEXT_DAY = new AtomicInteger(3 + new java.util.Random().nextInt(600));

    @TestHTTPResource("/")
    URL root;

    @Test
    void theParentsAndTheSchedulersJourney() throws Exception {
        ApiClient schedulerClient = client(Tokens.scheduler("contract-ops"));
        SchedulerApi scheduler = new SchedulerApi(schedulerClient);
        CatalogApi catalog = new CatalogApi(client(null));
        assertTrue(catalog.listHospitals(null).stream()
                .anyMatch(h -> HOSPITAL.equals(h.getCode()) && h.getDepartments().stream().anyMatch(d -> DEPARTMENT.equals(d.getCode()))));
        // Names follow Accept-Language (zh-CN by default); names holds both.
        var bch = catalog.listHospitals("en").stream().filter(h -> "BCH".equals(h.getCode())).findFirst().orElseThrow();
        assertEquals("Beijing Children's Hospital", bch.getName());
        assertEquals("北京儿童医院", bch.getNames().getZhCN());

        UUID doctor = doctor(scheduler);
        LocalDate day = nextDay();
        OffsetDateTime now = OffsetDateTime.now(BEIJING);
        List<SlotJson> open = scheduler.publishSlots(publication(doctor, now.minusMinutes(1), day, 9, 2, 1, 0)).getSlots();
        List<SlotJson> later = scheduler.publishSlots(publication(doctor, now.plusHours(1), day, 11, 1, 1, 0)).getSlots();
        UUID first = open.get(0).getId();
        UUID second = open.get(1).getId();
        UUID notYet = later.get(0).getId();

        java.util.Map<UUID, SlotStatus> listed = new java.util.HashMap<>();
        new AvailabilityApi(client(null)).listSlots(day.toString(), DEPARTMENT, HOSPITAL, null, null)
                .stream().filter(slot -> List.of(first, second, notYet).contains(slot.getId()))
                .forEach(slot -> listed.put(slot.getId(), slot.getStatus()));
        assertEquals(java.util.Map.of(first, SlotStatus.OPEN, second, SlotStatus.OPEN, notYet, SlotStatus.UPCOMING), listed);

        ApiClient parentClient = client(Tokens.patient("contract-parent-" + day));
        BookingsApi parent = new BookingsApi(parentClient);
        UUID child = child(parentClient, "Xiao Ming");

        // Booked once; the same key and body replay the same 201
        String key = UUID.randomUUID().toString();
        ApiResponse<BookingJson> booked = parent.bookWithHttpInfo(request(first, child), null, key);
        ApiResponse<BookingJson> replayed = parent.bookWithHttpInfo(request(first, child), null, key);
        assertEquals(201, booked.getStatusCode());
        assertEquals(201, replayed.getStatusCode());
        assertEquals(booked.getData(), replayed.getData());
        assertEquals(BookingStatus.CONFIRMED, booked.getData().getStatus());
        assertTrue(header(booked.getHeaders(), "Location").endsWith("/api/v1/bookings/" + booked.getData().getId()));
        UUID booking = booked.getData().getId();

        // The refusals, each the document's Problem
        ApiClient otherClient = client(Tokens.patient("contract-other-" + day));
        BookingsApi other = new BookingsApi(otherClient);
        UUID otherChild = child(otherClient, "Xiao Hong");
        refused(409, "sold-out", () -> other.book(request(first, otherChild), null, null));
        refused(409, "already-booked", () -> parent.book(request(second, child), null, null));
        Problem notOpen = refused(409, "not-open", () -> other.book(request(notYet, otherChild), null, null));
        assertNotNull(notOpen.getAdditionalProperty("releaseAt"));
        Problem invalid = refused(400, "invalid-request", () -> parent.book(request(first, child).slotId("not-a-slot"), null, null));
        assertEquals("slotId", invalid.getErrors().get(0).getField());
        refused(404, "booking-not-found", () -> parent.getBooking(UUID.randomUUID().toString()));
        refused(401, "unauthorized", () -> new BookingsApi(client(null)).listBookings(null));
        refused(403, "forbidden", () -> new BookingsApi(schedulerClient).listBookings(null));
        refused(422, "idempotency-key-reused", () -> parent.book(request(second, child), null, key));

        // Cancel: the place is back; cancelling again answers the same
        BookingJson cancelled = parent.cancelBooking(booking.toString());
        assertEquals(BookingStatus.CANCELLED, cancelled.getStatus());
        assertEquals(cancelled, parent.cancelBooking(booking.toString()));
        assertEquals(1, scheduler.slotCounts(first.toString()).getRemaining());

        // Replaying the key of the cancelled booking answers its original 201 and books nothing
        ApiResponse<BookingJson> afterCancel = parent.bookWithHttpInfo(request(first, child), null, key);
        assertEquals(201, afterCancel.getStatusCode());
        assertEquals(booked.getData(), afterCancel.getData());
        assertEquals(BookingStatus.CANCELLED, parent.getBooking(booking.toString()).getStatus());
        assertEquals(1, scheduler.slotCounts(first.toString()).getRemaining());
        assertEquals(List.of(), parent.listBookings(child.toString()).stream()
                .filter(b -> b.getStatus() == BookingStatus.CONFIRMED).toList());
    }

    @Test
    void aPaidBookingIsConfirmedByTheSignedPaymentNotification() throws Exception {
        SchedulerApi scheduler = new SchedulerApi(client(Tokens.scheduler("contract-ops")));
        LocalDate day = nextDay();
        UUID paid = scheduler.publishSlots(publication(doctor(scheduler), OffsetDateTime.now(BEIJING).minusMinutes(1), day, 10, 1, 1, 5000))
                .getSlots().get(0).getId();
        ApiClient parentClient = client(Tokens.patient("contract-payer-" + day));
        BookingsApi parent = new BookingsApi(parentClient);
        UUID child = child(parentClient, "Xiao Hua");

        BookingJson held = parent.book(request(paid, child), null, UUID.randomUUID().toString());
        assertEquals(BookingStatus.PENDING_PAYMENT, held.getStatus());
        assertEquals(5000, held.getFee());
        assertNotNull(held.getHoldExpiresAt());

        // The payment system signs the exact bytes the generated client sends (same mapper, same object)
        ApiClient payments = client(null);
        PaymentNotification notification = new PaymentNotification().bookingId(held.getId().toString())
                .paymentId("contract-" + UUID.randomUUID()).amount(5000).paidAt(OffsetDateTime.now(BEIJING));
        long at = Instant.now().getEpochSecond();
        String signature = new Signature(PaymentSecretCheck.DEV_SECRET).sign(at, payments.getObjectMapper().writeValueAsBytes(notification));
        PaymentAccepted accepted = new PaymentsApi(payments).notifyPayment(signature, Long.toString(at), notification);
        assertEquals("CONFIRMED", accepted.getStatus());

        BookingJson confirmed = parent.getBooking(held.getId().toString());
        assertEquals(BookingStatus.CONFIRMED, confirmed.getStatus());
        assertNotNull(confirmed.getPaidAt());
        refused(401, "invalid-signature", () -> new PaymentsApi(payments).notifyPayment("sha256=00", Long.toString(at), notification));
    }

    @Test
    void aReturnedPlaceIsOfferedToTheWaitlistAndAccepted() throws Exception {
        SchedulerApi scheduler = new SchedulerApi(client(Tokens.scheduler("contract-ops")));
        LocalDate day = nextDay();
        UUID slot = scheduler.publishSlots(publication(doctor(scheduler), OffsetDateTime.now(BEIJING).minusMinutes(1), day, 9, 1, 1, 0))
                .getSlots().get(0).getId();
        ApiClient holderClient = client(Tokens.patient("contract-holder-" + day));
        BookingsApi holder = new BookingsApi(holderClient);
        BookingJson held = holder.book(request(slot, child(holderClient, "Xiao Li")), null, null);

        ApiClient waiter = client(Tokens.patient("contract-waiter-" + day));
        UUID waitingChild = child(waiter, "Xiao Wang");
        WaitlistApi waitlist = new WaitlistApi(waiter);
        WaitlistRequest join = new WaitlistRequest().hospital(HOSPITAL).department(DEPARTMENT).date(day.toString())
                .patientId(waitingChild.toString());
        ApiResponse<WaitlistEntryJson> joined = waitlist.joinWaitlistWithHttpInfo(join);
        assertEquals(201, joined.getStatusCode());
        assertEquals(WaitlistState.WAITING, joined.getData().getState());
        assertEquals(200, waitlist.joinWaitlistWithHttpInfo(join).getStatusCode());

        holder.cancelBooking(held.getId().toString());
        String entry = joined.getData().getId().toString();
        WaitlistEntryJson offered = await(call(() -> waitlist.getWaitlistEntry(entry)),
                e -> e.getState() == WaitlistState.OFFERED, "the entry's offer");
        BookingJson accepted = new BookingsApi(waiter).acceptOffer(offered.getBookingId().toString());
        assertEquals(BookingStatus.CONFIRMED, accepted.getStatus());
        assertEquals(slot, accepted.getSlotId());
    }

    @Test
    void aQueueReleaseAdmitsTheTicketThenTakesItsBooking() throws Exception {
        SchedulerApi scheduler = new SchedulerApi(client(Tokens.scheduler("contract-ops")));
        LocalDate day = nextDay();
        OffsetDateTime releaseAt = OffsetDateTime.now(BEIJING).plusSeconds(3);
        PublishSlots queued = publication(doctor(scheduler), releaseAt, day, 10, 1, 5, 0)
                .admission(new AdmissionRequest().mode(AdmissionMode.QUEUE).preQueueMinutes(30).admitPerSecond(100).passMinutes(10));
        UUID slot = scheduler.publishSlots(queued).getSlots().get(0).getId();

        ApiClient parent = client(Tokens.patient("contract-queue-" + day));
        UUID child = child(parent, "Xiao Zhang");
        WaitingRoomApi room = new WaitingRoomApi(parent);
        ApiResponse<TicketJson> taken = room.takeTicketWithHttpInfo(new TicketRequest().hospital(HOSPITAL).department(DEPARTMENT).date(day));
        assertEquals(201, taken.getStatusCode());
        // WAITING until its admission instant, a moment after releaseAt (already ADMITTED on a slow machine)
        assertTrue(List.of(TicketState.WAITING, TicketState.ADMITTED).contains(taken.getData().getState()));
        if (taken.getData().getState() == TicketState.WAITING) {
            assertFalse(header(taken.getHeaders(), "Retry-After").isEmpty());
        }
        String ticket = taken.getData().getId();

        TicketJson admitted = await(call(() -> room.getTicket(ticket)), t -> t.getState() == TicketState.ADMITTED, "admission");
        assertNotNull(admitted.getAdmittedUntil());
        BookingsApi bookings = new BookingsApi(parent);
        Problem required = refused(403, "queue-required", () -> bookings.book(request(slot, child), null, null));
        assertEquals(DEPARTMENT, required.getAdditionalProperty("department"));
        BookingJson booked = bookings.book(request(slot, child), ticket, UUID.randomUUID().toString());
        assertEquals(BookingStatus.CONFIRMED, booked.getStatus());
    }

    @Test
    void theClientRefusesAnAnswerTheDocumentDoesNotDescribe() {
        ObjectMapper mapper = strict(new ApiClient().getObjectMapper());
        String booking = "{\"id\":\"" + UUID.randomUUID() + "\",\"status\":\"CONFIRMED\",\"fee\":0";
        assertDoesNotThrow(() -> mapper.readValue(booking + "}", BookingJson.class));
        assertThrows(Exception.class, () -> mapper.readValue(booking + ",\"undocumented\":1}", BookingJson.class));
        assertThrows(Exception.class, () -> mapper.readValue(booking.replace("\"fee\":0", "\"fee\":\"0\"") + "}", BookingJson.class));
        assertThrows(Exception.class, () -> mapper.readValue(booking.replace("CONFIRMED", "SOMETHING_NEW") + "}", BookingJson.class));
        assertThrows(Exception.class, () -> mapper.readValue("{\"code\":\"BCH\",\"name\":7}", io.firstvisit.client.model.HospitalJson.class));
    }

    // --- the client, strict about the document ------------------------------------------------------------

    /** The generated client, pointed at the packaged service, with the token (none when null). */
    private ApiClient client(String token) {
        ApiClient client = new ApiClient();
        client.updateBaseUri(root.toString().replaceAll("/$", ""));
        client.setObjectMapper(strict(client.getObjectMapper()));
        client.setReadTimeout(Duration.ofSeconds(30));
        if (token != null) {
            client.setRequestInterceptor(request -> request.header("Authorization", "Bearer " + token));
        }
        return client;
    }

    /**
     * The generated mapper ignores unknown properties; the contract test does not: a field the document does not
     * declare, a string where it declares a number (or the reverse) and an unknown enum value all fail.
     */
    static ObjectMapper strict(ObjectMapper generated) {
        ObjectMapper mapper = generated.copy();
        mapper.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        mapper.enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
        for (LogicalType scalar : List.of(LogicalType.Integer, LogicalType.Float, LogicalType.Boolean)) {
            mapper.coercionConfigFor(scalar).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
        }
        for (CoercionInputShape scalar : List.of(CoercionInputShape.Integer, CoercionInputShape.Float, CoercionInputShape.Boolean)) {
            mapper.coercionConfigFor(LogicalType.Textual).setCoercion(scalar, CoercionAction.Fail);
        }
        return mapper;
    }

    /** The call fails with {@code status}, and its body is the document's Problem of that type. */
    private Problem refused(int status, String code, Executable call) throws Exception {
        ApiException e = assertThrows(ApiException.class, call);
        assertEquals(status, e.getCode(), () -> "expected " + status + " " + code + ", got " + e.getCode() + ": " + e.getResponseBody());
        assertTrue(e.getResponseHeaders().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
        Problem problem = strict(new ApiClient().getObjectMapper()).readValue(e.getResponseBody(), Problem.class);
        assertEquals("https://firstvisit.dev/problems/" + code, problem.getType().toString());
        assertEquals(status, problem.getStatus());
        assertFalse(problem.getTitle().isBlank());
        return problem;
    }

    private static String header(java.util.Map<String, List<String>> headers, String name) {
        return headers.entrySet().stream().filter(h -> h.getKey().equalsIgnoreCase(name)).map(h -> h.getValue().get(0))
                .findFirst().orElse("");
    }

    private static UUID doctor(SchedulerApi scheduler) throws ApiException {
        ApiResponse<io.firstvisit.client.model.DoctorJson> created = scheduler.registerDoctorWithHttpInfo(new NewDoctor()
                .hospital(HOSPITAL).department(DEPARTMENT).name("Dr. Contract").title("Chief Physician").firstVisitQualified(true));
        assertEquals(201, created.getStatusCode());
        return created.getData().getId();
    }

    private static UUID child(ApiClient parent, String name) throws ApiException {
        ApiResponse<io.firstvisit.client.model.PatientJson> created = new PatientsApi(parent).addPatientWithHttpInfo(new NewPatient()
                .name(name).birthDate(LocalDate.now(BEIJING).minusYears(4)).sex(Sex.FEMALE));
        assertEquals(201, created.getStatusCode());
        return created.getData().getId();
    }

    /** {@code count} slots of 15 minutes from {@code hour}:00 on {@code day}, each of {@code capacity} places. */
    private static PublishSlots publication(UUID doctor, OffsetDateTime releaseAt, LocalDate day, int hour, int count, int capacity, int fee) {
        PublishSlots publication = new PublishSlots().doctorId(doctor.toString()).visitType(VisitType.FIRST).releaseAt(releaseAt);
        for (int i = 0; i < count; i++) {
            OffsetDateTime start = day.atTime(hour, 15 * i).atOffset(BEIJING);
            publication.addSlotsItem(new NewSlot().start(start).end(start.plusMinutes(15)).capacity(capacity).fee(fee));
        }
        return publication;
    }

    private static BookingRequest request(UUID slot, UUID patient) {
        return new BookingRequest().slotId(slot.toString()).patientId(patient.toString());
    }

    private static LocalDate nextDay() {
        return LocalDate.now(BEIJING).plusDays(NEXT_DAY.getAndIncrement());
    }

    private interface Call<T> {
        T get() throws ApiException;
    }

    private static <T> Supplier<T> call(Call<T> call) {
        return () -> {
            try {
                return call.get();
            } catch (ApiException e) {
                throw new AssertionError("HTTP " + e.getCode() + ": " + e.getResponseBody(), e);
            }
        };
    }

    /** Asks again until the answer satisfies {@code done} (a background offer, an admission), within {@link #AWAIT}. */
    private static <T> T await(Supplier<T> ask, java.util.function.Predicate<T> done, String what) throws InterruptedException {
        long deadline = System.nanoTime() + AWAIT.toNanos();
        T last = null;
        while (System.nanoTime() < deadline) {
            last = ask.get();
            if (done.test(last)) {
                return last;
            }
            Thread.sleep(200);
        }
        fail("No " + what + " within " + AWAIT + "; last answer: " + last);
        return last;
    }
}
