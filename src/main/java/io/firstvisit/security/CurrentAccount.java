package io.firstvisit.security;

import io.firstvisit.problem.Problem;
import jakarta.enterprise.context.RequestScoped;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * The account a request acts for: the token's {@code sub}. Every patient and booking lookup is
 * scoped by it, so another account's data is simply not found (OWASP API1).
 */
@RequestScoped
public class CurrentAccount {

    private final JsonWebToken token;

    public CurrentAccount(JsonWebToken token) {
        this.token = token;
    }

    public String id() {
        String subject = token.getSubject();
        if (subject == null || subject.isBlank()) {
            throw Problem.of(401, "unauthorized", "unauthorized.no-subject");
        }
        return subject;
    }
}
