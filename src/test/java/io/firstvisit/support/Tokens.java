package io.firstvisit.support;

import io.firstvisit.testkit.DevTokens;

/** The service tests' tokens: the test kit's {@link DevTokens} (the same tokens as bin/dev-token), one key read once. */
public final class Tokens {

    private static final DevTokens DEV = DevTokens.fromRepository();

    private Tokens() {
    }

    public static String patient(String account) {
        return DEV.patient(account);
    }

    public static String scheduler(String account) {
        return DEV.scheduler(account);
    }

    public static String sign(String account, String... groups) {
        return DEV.mint(account, groups);
    }

    /** The minting class itself, for tokens built claim by claim (HostileTokens). */
    public static DevTokens dev() {
        return DEV;
    }
}
