package io.firstvisit.problem;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.net.URI;
import java.util.Map;

/** The JSON shape of a problem: the RFC 9457 members plus the problem's extension members. */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProblemBody(URI type, String title, int status, String detail, String instance,
                          @JsonAnyGetter Map<String, Object> extensions) {
}
