package io.firstvisit.catalog;

import java.util.UUID;

/** A department as the booking path needs it, detached from any session. */
public record DepartmentInfo(UUID id, String hospitalCode, String hospitalName, String code, String name, int maxPatientAge) {
}
