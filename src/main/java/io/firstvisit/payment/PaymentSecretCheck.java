package io.firstvisit.payment;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigUtils;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.List;

/**
 * Refuses to start with a payment secret anyone could know: shorter than 32 characters, or the development
 * one outside dev and test. A forged "paid" notification would confirm a booking nobody paid for.
 */
@ApplicationScoped
public class PaymentSecretCheck {

    /** The secret of the dev and test profiles and bin/dev-pay; public, so never accepted in production. */
    public static final String DEV_SECRET = "firstvisit-dev-payment-secret-do-not-use-in-prod";
    static final int MIN_LENGTH = 32;

    void check(@Observes StartupEvent start, PaymentConfig config) {
        String problem = problem(config.secret(), ConfigUtils.getProfiles());
        if (problem != null) {
            throw new IllegalStateException(problem);
        }
    }

    static String problem(String secret, List<String> profiles) {
        if (secret.length() < MIN_LENGTH) {
            return "FIRSTVISIT_PAYMENT_SECRET must be at least " + MIN_LENGTH + " characters";
        }
        if (secret.equals(DEV_SECRET) && !profiles.contains("dev") && !profiles.contains("test")) {
            return "FIRSTVISIT_PAYMENT_SECRET is the public development secret; set the one shared with the payment system";
        }
        return null;
    }
}
