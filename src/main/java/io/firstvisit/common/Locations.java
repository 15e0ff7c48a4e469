package io.firstvisit.common;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

/**
 * 201 answers with a relative {@code Location} (RFC 9110 allows it). {@code Response.created(URI)} would resolve it
 * against the request's base URI, which comes from the {@code Host} header the client sent: a client that sends
 * {@code Host: evil.example} would be told its booking lives on evil.example.
 */
public final class Locations {

    private Locations() {
    }

    public static Response.ResponseBuilder created(String path) {
        return Response.status(Response.Status.CREATED).header(HttpHeaders.LOCATION, path);
    }
}
