package io.firstvisit.devconsole;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigUtils;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.List;

/**
 * Refuses to start with the development console on outside the dev and test profiles: its routes hand out
 * tokens to anyone and confirm bookings nobody paid for.
 */
@ApplicationScoped
public class DevConsoleCheck {

    void check(@Observes StartupEvent start, DevConsoleConfig config) {
        String problem = problem(config.enabled(), ConfigUtils.getProfiles());
        if (problem != null) {
            throw new IllegalStateException(problem);
        }
    }

    static String problem(boolean enabled, List<String> profiles) {
        if (enabled && !profiles.contains("dev") && !profiles.contains("test")) {
            return "firstvisit.dev-console.enabled is true outside the dev profile: it mints tokens and fakes payments; turn it off";
        }
        return null;
    }
}
