package io.firstvisit.common;

import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/** Ids are opaque UUID strings on the wire; anything else is simply "no such thing". */
public final class Ids {

    public static final String UUID_PATTERN = "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$";
    private static final Pattern UUID_SHAPE = Pattern.compile(UUID_PATTERN);

    private Ids() {
    }

    public static Optional<UUID> parse(String text) {
        if (text == null || !UUID_SHAPE.matcher(text).matches()) {
            return Optional.empty();
        }
        return Optional.of(UUID.fromString(text));
    }
}
