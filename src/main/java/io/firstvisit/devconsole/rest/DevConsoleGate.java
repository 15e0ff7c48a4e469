package io.firstvisit.devconsole.rest;

import io.firstvisit.devconsole.DevConsoleConfig;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.container.ContainerRequestContext;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Hides the development console while it is off: before routing (so before the token check and body
 * validation, which would tell a prober the route exists), a {@code /dev} path is not found, as any unknown path.
 */
public class DevConsoleGate {

    static final String PREFIX = "/dev/";

    private final DevConsoleConfig config;

    public DevConsoleGate(DevConsoleConfig config) {
        this.config = config;
    }

    @ServerRequestFilter(preMatching = true)
    public void hideUnlessEnabled(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (!config.enabled() && (path.startsWith(PREFIX) || path.equals("/dev"))) {
            throw new NotFoundException();
        }
    }
}
