package io.firstvisit.nativeimage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipFile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 12 §1: the native profile cannot rot unnoticed. A native executable cannot be built on these
 * machines, but Quarkus' own native build steps can: {@code ./mvnw package -Dnative
 * -Dquarkus.native.sources-only=true -DskipTests} writes target/native-sources/ (the runner jar and the
 * arguments GraalVM would get). .ci/run builds it and then runs this test (tag native-sources, excluded
 * from the ordinary run): everything the service loads at run time must be in the image, and every
 * locale it answers in.
 */
@Tag("native-sources")
class NativeSourcesTest {

    private static final Path SOURCES = Path.of("target", "native-sources");
    private static final Path RESOURCES = Path.of("src", "main", "resources");
    /** Resource folders the service reads through the class loader at run time. */
    private static final List<String> LOADED_AT_RUN_TIME = List.of("lua", "db/migration", "dev-keys", "problems");

    @Test
    void theNativeImageIncludesEveryResourceTheServiceLoads() throws IOException {
        List<String> patterns = new ArrayList<>();
        try (ZipFile runner = new ZipFile(runnerJar().toFile())) {
            try (InputStream config = runner.getInputStream(runner.getEntry("META-INF/native-image/resource-config.json"))) {
                JsonNode includes = new ObjectMapper().readTree(config).path("resources").path("includes");
                includes.forEach(i -> patterns.add(i.path("pattern").asText()));
            }
        }
        List<String> missing = new ArrayList<>();
        for (String folder : LOADED_AT_RUN_TIME) {
            try (Stream<Path> files = Files.list(RESOURCES.resolve(folder))) {
                for (Path file : files.toList()) {
                    String resource = RESOURCES.relativize(file).toString().replace('\\', '/');
                    if (patterns.stream().noneMatch(p -> Pattern.compile(p).matcher(resource).matches())) {
                        missing.add(resource);
                    }
                }
            }
        }
        assertEquals(List.of(), missing, "loaded at run time but left out of the native image (quarkus.native.resources.includes)");
    }

    @Test
    void theNativeImageIncludesEveryConfiguredLocale() throws IOException {
        String args = Files.readString(SOURCES.resolve("native-image.args"), StandardCharsets.UTF_8);
        String included = Arrays.stream(args.split("\\s+")).filter(a -> a.startsWith("-H:IncludeLocales=")).findFirst()
                .orElseThrow(() -> new AssertionError("native-image.args has no -H:IncludeLocales")).substring("-H:IncludeLocales=".length());
        Properties application = new Properties();
        try (InputStream in = Files.newInputStream(RESOURCES.resolve("application.properties"))) {
            application.load(in);
        }
        List<String> inImage = Arrays.stream(included.split(",")).map(NativeSourcesTest::tag).toList();
        for (String locale : application.getProperty("quarkus.locales", "en").split(",")) {
            assertTrue(inImage.contains(tag(locale)), "locale " + locale.trim() + " is configured but the image includes only " + inImage);
        }
        for (io.firstvisit.problem.Language language : io.firstvisit.problem.Language.values()) {
            assertTrue(inImage.contains(tag(language.tag())), "the service answers in " + language.tag() + " but the image includes only "
                    + inImage + " (quarkus.locales)");
        }
    }

    @Test
    void theBuildTargetsTheGraalVmTheProfileExpects() throws IOException {
        String version = Files.readString(SOURCES.resolve("graalvm.version"), StandardCharsets.UTF_8).trim();
        assertTrue(version.matches("\\d+(\\.\\d+)*"), "graalvm.version: " + version);
        assertTrue(Files.readString(SOURCES.resolve("native-image.args"), StandardCharsets.UTF_8).contains("io.quarkus.runner.Feature"));
    }

    private static String tag(String locale) {
        return Locale.forLanguageTag(locale.trim().replace('_', '-')).toLanguageTag().toLowerCase(Locale.ROOT);
    }

    private static Path runnerJar() throws IOException {
        try (Stream<Path> files = Files.list(SOURCES)) {
            return files.filter(f -> f.getFileName().toString().endsWith("-runner.jar")).findFirst()
                    .orElseThrow(() -> new AssertionError("no runner jar in " + SOURCES + "; build it with -Dnative -Dquarkus.native.sources-only=true"));
        }
    }
}
