package io.firstvisit.payment;

import io.smallrye.config.ConfigMapping;

/**
 * The secret shared with the hospital's payment system. No default: the prod profile reads it from
 * {@code FIRSTVISIT_PAYMENT_SECRET} and does not start without it; dev and test ship their own
 * (bin/dev-pay signs with it), which {@link PaymentSecretCheck} refuses outside dev and test.
 */
@ConfigMapping(prefix = "firstvisit.payment")
public interface PaymentConfig {

    /** HMAC-SHA256 key of payment notifications, at least 32 characters. */
    String secret();
}
