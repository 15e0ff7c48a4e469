package io.firstvisit.catalog.rest;

import io.firstvisit.catalog.Catalog;
import io.firstvisit.catalog.DepartmentInfo;
import io.firstvisit.catalog.Names;
import io.firstvisit.problem.Language;
import io.firstvisit.problem.Problems;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.ResponseHeader;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

@Path("/api/v1/hospitals")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "catalog")
public class HospitalResource {

    private final Catalog catalog;
    private final Problems problems;

    public HospitalResource(Catalog catalog, Problems problems) {
        this.catalog = catalog;
        this.problems = problems;
    }

    /** {@code name} in the language asked for (Accept-Language, zh-CN by default); {@code names} in each. */
    public record DepartmentJson(String code, String name, Names names, int maxPatientAge) {
    }

    public record HospitalJson(String code, String name, Names names, List<DepartmentJson> departments) {
    }

    @GET
    @Operation(operationId = "listHospitals", summary = "Hospitals taking first-visit bookings, with their departments",
            description = "name follows Accept-Language (zh-CN by default, or en); names holds both.")
    @ResponseHeader(name = HttpHeaders.VARY, value = HttpHeaders.ACCEPT_LANGUAGE)
    public Uni<List<HospitalJson>> list(@HeaderParam(HttpHeaders.ACCEPT_LANGUAGE) String acceptLanguage) {
        Language language = problems.language(acceptLanguage);
        return catalog.departments().map(departments -> byHospital(departments, language));
    }

    private static List<HospitalJson> byHospital(List<DepartmentInfo> departments, Language language) {
        Map<String, List<DepartmentInfo>> grouped = new LinkedHashMap<>();
        departments.forEach(d -> grouped.computeIfAbsent(d.hospitalCode(), k -> new java.util.ArrayList<>()).add(d));
        return grouped.values().stream()
                .map(ds -> new HospitalJson(ds.get(0).hospitalCode(), ds.get(0).hospitalNames().in(language), ds.get(0).hospitalNames(),
                        ds.stream().map(d -> new DepartmentJson(d.code(), d.names().in(language), d.names(), d.maxPatientAge())).toList()))
                .toList();
    }
}
