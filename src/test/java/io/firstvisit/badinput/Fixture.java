package io.firstvisit.badinput;

import io.firstvisit.support.Api;
import io.firstvisit.support.Tokens;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The real objects hostile rows aim at: an open slot with places, a parent and her child who could
 * book it, a qualified and an unqualified doctor. A row that gets past validation would book or
 * publish for real, which is what the table checks it never does.
 */
final class Fixture {

    static final int CAPACITY = 5;

    final String parent;
    final String parentToken;
    final String slotId;
    final String patientId;
    final String doctorId;
    final String unqualifiedDoctorId;
    private final AtomicInteger starts = new AtomicInteger();

    private Fixture(String parent, String slotId, String patientId, String doctorId, String unqualifiedDoctorId) {
        this.parent = parent;
        this.parentToken = Tokens.patient(parent);
        this.slotId = slotId;
        this.patientId = patientId;
        this.doctorId = doctorId;
        this.unqualifiedDoctorId = unqualifiedDoctorId;
    }

    static Fixture create() {
        String parent = "hostile-parent-" + UUID.randomUUID();
        String doctor = Api.doctor("BCH", "GROWTH", true);
        String slot = Api.slots(doctor, Api.freshDate(), OffsetDateTime.now(Api.BEIJING).minusMinutes(1), 1, CAPACITY).get(0);
        return new Fixture(parent, slot, Api.patient(parent), doctor, Api.doctor("CCMC", "GROWTH", false));
    }

    String token(HostileRequest.Caller caller) {
        return switch (caller) {
            case NOBODY -> null;
            case PARENT -> parentToken;
            case NEW_PARENT -> Tokens.patient("hostile-new-parent-" + UUID.randomUUID());
            case SCHEDULER -> Api.schedulerToken();
        };
    }

    /**
     * Fills the placeholders of one row. Each call gets its own slot start (far ahead, 20 minutes apart), so
     * a row that is wrongly accepted cannot make a later row fail on a duplicate start instead.
     */
    String resolve(String template) {
        if (template == null || template.indexOf('{') < 0) {
            return template;
        }
        LocalDate today = LocalDate.now(Api.BEIJING);
        OffsetDateTime start = today.plusDays(650).atTime(6, 0).atOffset(Api.BEIJING).plusMinutes(20L * starts.incrementAndGet());
        OffsetDateTime now = OffsetDateTime.now(Api.BEIJING).truncatedTo(ChronoUnit.SECONDS);
        String unknown = UUID.randomUUID().toString();
        return template
                .replace("{slot}", slotId)
                .replace("{patient}", patientId)
                .replace("{doctor}", doctorId)
                .replace("{unqualifiedDoctor}", unqualifiedDoctorId)
                .replace("{unknown}", unknown)
                .replace("{UNKNOWN}", unknown.toUpperCase(Locale.ROOT))
                .replace("{unknownNoDashes}", unknown.replace("-", ""))
                .replace("{date}", today.plusDays(10).toString())
                .replace("{dateTooFar}", today.plusDays(731).toString())
                .replace("{dateTooOld}", today.minusDays(2).toString())
                .replace("{release}", now.plusDays(1).toString())
                .replace("{start}", start.toString())
                .replace("{end}", start.plusMinutes(15).toString())
                .replace("{endBeforeStart}", start.minusMinutes(15).toString())
                .replace("{endAfter25h}", start.plusHours(25).toString())
                .replace("{afterStart}", start.plusHours(1).toString())
                .replace("{past}", now.minusHours(2).toString())
                .replace("{pastEnd}", now.minusHours(2).plusMinutes(15).toString());
    }
}
