package io.firstvisit.catalog;

import java.util.UUID;

/** A department as the booking path needs it, detached from any session. */
public record DepartmentInfo(UUID id, String hospitalCode, Names hospitalNames, String code, Names names, int maxPatientAge) {
}
