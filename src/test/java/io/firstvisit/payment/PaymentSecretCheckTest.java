package io.firstvisit.payment;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/** A forged "paid" would confirm a booking nobody paid for: production starts only with a real secret. */
class PaymentSecretCheckTest {

    @Test
    void productionRefusesTheDevelopmentSecretAndShortOnes() {
        assertNotNull(PaymentSecretCheck.problem(PaymentSecretCheck.DEV_SECRET, List.of("prod")));
        assertNotNull(PaymentSecretCheck.problem("too-short", List.of("prod")));
        assertNotNull(PaymentSecretCheck.problem("too-short", List.of("dev")));
        assertNull(PaymentSecretCheck.problem("a-secret-shared-with-the-payment-system", List.of("prod")));
    }

    @Test
    void devAndTestUseTheDevelopmentSecret() {
        assertNull(PaymentSecretCheck.problem(PaymentSecretCheck.DEV_SECRET, List.of("dev")));
        assertNull(PaymentSecretCheck.problem(PaymentSecretCheck.DEV_SECRET, List.of("test")));
    }
}
