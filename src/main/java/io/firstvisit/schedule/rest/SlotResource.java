package io.firstvisit.schedule.rest;

import io.firstvisit.catalog.Catalog;
import io.firstvisit.common.HospitalTime;
import io.firstvisit.problem.Problem;
import io.firstvisit.common.Text;
import io.firstvisit.inventory.DepartmentDay;
import io.firstvisit.schedule.VisitType;
import io.firstvisit.schedule.service.Availability;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

@Path("/api/v1/slots")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "availability")
public class SlotResource {

    /** How far back and ahead availability may be asked for: bounds what a scan of dates can make us load. */
    static final int DAYS_BACK = 1;
    static final int DAYS_AHEAD = HospitalTime.HORIZON_DAYS;

    private final Catalog catalog;
    private final Availability availability;
    private final HospitalTime time;

    public SlotResource(Catalog catalog, Availability availability, HospitalTime time) {
        this.catalog = catalog;
        this.availability = availability;
        this.time = time;
    }

    @GET
    @Operation(operationId = "listSlots", summary = "Slots of one department on one date (Asia/Shanghai), with remaining places",
            description = "Cacheable for a second: answers carry an ETag and Cache-Control; If-None-Match gives 304.")
    @Parameter(name = "If-None-Match", in = ParameterIn.HEADER, description = "The ETag of an earlier answer: 304 while nothing changed",
            schema = @Schema(type = SchemaType.STRING))
    @APIResponse(responseCode = "200", description = "The slots, by start",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = SlotJson.class, type = SchemaType.ARRAY)),
            headers = {@Header(name = "ETag", description = "Changes when a slot's remaining places or status change",
                    schema = @Schema(type = SchemaType.STRING)),
                    @Header(name = "Cache-Control", description = "max-age=1", schema = @Schema(type = SchemaType.STRING))})
    @APIResponse(responseCode = "304", description = "Not modified since the If-None-Match ETag",
            headers = @Header(name = "ETag", schema = @Schema(type = SchemaType.STRING)))
    @APIResponse(responseCode = "404", description = "`department-not-found`")
    public Uni<Response> list(@Parameter(required = true, example = "BCH") @QueryParam("hospital") String hospital,
                              @Parameter(required = true, example = "DERMATOLOGY") @QueryParam("department") String department,
                              @Parameter(required = true, description = "YYYY-MM-DD, in Asia/Shanghai", example = "2026-07-01")
                              @QueryParam("date") String date,
                              @Parameter(description = "FIRST or FOLLOW_UP (both when omitted)") @QueryParam("visitType") String visitType,
                              @Context Request request) {
        List<Problem.FieldError> errors = new ArrayList<>();
        requireCode("hospital", hospital, errors);
        requireCode("department", department, errors);
        LocalDate day = parseDate(date, errors);
        VisitType type = parseVisitType(visitType, errors);
        if (!errors.isEmpty()) {
            throw Problem.invalidRequest("invalid-query", errors);
        }
        return catalog.department(hospital, department)
                .chain(d -> availability.of(new DepartmentDay(d.hospitalCode(), d.code(), day)))
                .map(slots -> slots.stream()
                        .filter(a -> type == null || a.slot().visitType() == type)
                        .map(a -> SlotJson.of(a.slot(), a.remaining(), a.status()))
                        .toList())
                .map(slots -> {
                    EntityTag tag = etag(slots);
                    Response.ResponseBuilder notModified = request.evaluatePreconditions(tag);
                    return (notModified != null ? notModified : Response.ok(slots)).tag(tag).cacheControl(CACHE).build();
                });
    }

    private static final CacheControl CACHE = cacheControl();

    private static CacheControl cacheControl() {
        CacheControl cache = new CacheControl();
        cache.setMaxAge(1); // what a parent sees may be a second old; the booking itself decides in Redis
        cache.setNoTransform(false);
        return cache;
    }

    /** Changes whenever a slot's remaining places or status change, and only then. */
    static EntityTag etag(List<SlotJson> slots) {
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        for (SlotJson slot : slots) {
            crc.update((slot.id() + ":" + slot.remaining() + ":" + slot.status() + ";").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        return new EntityTag(slots.size() + "-" + Long.toHexString(crc.getValue()), true);
    }

    private static void requireCode(String name, String value, List<Problem.FieldError> errors) {
        if (value == null || value.isBlank()) {
            errors.add(new Problem.FieldError(name, "is required"));
        } else if (!value.matches(Text.CODE)) {
            errors.add(new Problem.FieldError(name, Text.CODE_MESSAGE));
        }
    }

    private LocalDate parseDate(String value, List<Problem.FieldError> errors) {
        if (value == null || value.isBlank()) {
            errors.add(new Problem.FieldError("date", "is required (YYYY-MM-DD, Asia/Shanghai)"));
            return null;
        }
        try {
            LocalDate day = LocalDate.parse(value);
            LocalDate today = time.today();
            if (day.isBefore(today.minusDays(DAYS_BACK)) || day.isAfter(today.plusDays(DAYS_AHEAD))) {
                errors.add(new Problem.FieldError("date", "must be between " + today.minusDays(DAYS_BACK)
                        + " and " + today.plusDays(DAYS_AHEAD)));
            }
            return day;
        } catch (DateTimeParseException e) {
            errors.add(new Problem.FieldError("date", "must be a calendar date YYYY-MM-DD"));
            return null;
        }
    }

    private static VisitType parseVisitType(String value, List<Problem.FieldError> errors) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            return VisitType.valueOf(value);
        } catch (IllegalArgumentException e) {
            errors.add(new Problem.FieldError("visitType", "must be FIRST or FOLLOW_UP"));
            return null;
        }
    }
}
