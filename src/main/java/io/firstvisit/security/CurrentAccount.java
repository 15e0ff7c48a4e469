package io.firstvisit.security;

import io.firstvisit.common.Problem;
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
            throw new Problem(401, "unauthorized", "Authentication required", "The token has no subject");
        }
        return subject;
    }
}
