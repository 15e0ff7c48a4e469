package io.firstvisit.catalog.rest;

import io.firstvisit.catalog.Catalog;
import io.firstvisit.catalog.DepartmentInfo;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
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

    public HospitalResource(Catalog catalog) {
        this.catalog = catalog;
    }

    public record DepartmentJson(String code, String name, int maxPatientAge) {
    }

    public record HospitalJson(String code, String name, List<DepartmentJson> departments) {
    }

    @GET
    @Operation(operationId = "listHospitals", summary = "Hospitals taking first-visit bookings, with their departments")
    public Uni<List<HospitalJson>> list() {
        return catalog.departments().map(HospitalResource::byHospital);
    }

    private static List<HospitalJson> byHospital(List<DepartmentInfo> departments) {
        Map<String, List<DepartmentInfo>> grouped = new LinkedHashMap<>();
        departments.forEach(d -> grouped.computeIfAbsent(d.hospitalCode(), k -> new java.util.ArrayList<>()).add(d));
        return grouped.values().stream()
                .map(ds -> new HospitalJson(ds.get(0).hospitalCode(), ds.get(0).hospitalName(),
                        ds.stream().map(d -> new DepartmentJson(d.code(), d.name(), d.maxPatientAge())).toList()))
                .toList();
    }
}
