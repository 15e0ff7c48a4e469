package io.firstvisit.devconsole;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The console hands out tokens and fakes payments: production refuses to start with it on. */
class DevConsoleCheckTest {

    @Test
    void onlyDevAndTestMayEnableIt() {
        assertNotNull(DevConsoleCheck.problem(true, List.of("prod")));
        assertNotNull(DevConsoleCheck.problem(true, List.of("staging")));
        assertNull(DevConsoleCheck.problem(true, List.of("dev")));
        assertNull(DevConsoleCheck.problem(true, List.of("test")));
        assertNull(DevConsoleCheck.problem(false, List.of("prod")));
    }
}
