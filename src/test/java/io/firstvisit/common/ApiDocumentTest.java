package io.firstvisit.common;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The OpenAPI filter's reading of a response description: the build fails rather than document a wrong type. */
class ApiDocumentTest {

    @Test
    void aDescriptionNamesItsProblemTypesInBackticksAndMembersAreNotTypes() {
        assertEquals(List.of("sold-out", "not-open"),
                ApiDocument.codes("409", "`sold-out`, `not-open` (carries `releaseAt`), `sold-out` again"));
    }

    @Test
    void anUnknownTypeFailsTheBuild() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ApiDocument.codes("409", "`sold-outt`"));
        assertTrue(e.getMessage().contains("sold-outt"));
    }

    @Test
    void aTypeUnderAnotherStatusFailsTheBuild() {
        assertThrows(IllegalStateException.class, () -> ApiDocument.codes("404", "`sold-out`"));
    }

    @Test
    void anAnswerNamingNoTypeFailsTheBuild() {
        assertThrows(IllegalStateException.class, () -> ApiDocument.codes("409", "refused"));
    }

    @Test
    void everyExampleHasTheStatusItIsListedUnder() {
        ApiDocument.TYPES.forEach((code, type) -> assertEquals(List.of(code), ApiDocument.codes(Integer.toString(type.status()), "`" + code + "`")));
    }

    /**
     * The document names every problem type the service has words for (problems/*.properties), except the HTTP
     * layer's, which come before any operation (README, "The API contract"), and the development console's, which is
     * not part of the API.
     */
    @Test
    void theDocumentListsEveryProblemTypeTheServiceAnswers() {
        java.util.Set<String> answered = new java.util.TreeSet<>();
        io.firstvisit.problem.ProblemTexts.keys().stream().filter(k -> k.startsWith("title.")).forEach(k -> answered.add(k.substring(6)));
        answered.removeAll(java.util.Set.of("not-found", "method-not-allowed", "payload-too-large", "client-error", "internal-error",
                "dev-key-unreadable"));
        assertEquals(answered, new java.util.TreeSet<>(ApiDocument.TYPES.keySet()));
    }
}
