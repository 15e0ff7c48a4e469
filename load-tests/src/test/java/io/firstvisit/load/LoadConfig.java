package io.firstvisit.load;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The knobs every simulation shares, read once from system properties ({@code -Dname=value}).
 * Knobs that belong to one simulation only are read in that simulation.
 *
 * <p>Relative paths resolve against load-tests/ (the pom sets it as Gatling's working directory).
 */
final class LoadConfig {

  /** These tests are allowed to load this machine and nothing else. */
  private static final Set<String> LOOPBACK = Set.of("127.0.0.1", "localhost", "[::1]");

  final List<String> baseUrls;
  final String hospital;
  final String department;
  final LocalDate date;
  final int slots;
  final int capacity;
  final int releaseDelaySeconds;
  final int retries;
  final int retryAfterCapSeconds;
  final int setupConcurrency;
  final Path privateKey;
  final String issuer;
  /** Prefix of every account this run creates, so runs never share accounts. */
  final String runId;

  private LoadConfig(int defaultSlots, int defaultCapacity, int defaultReleaseDelaySeconds) {
    baseUrls = loopbackUrls(System.getProperty("baseUrls", "http://127.0.0.1:8080"));
    hospital = System.getProperty("hospital", "BCH");
    department = System.getProperty("department", "DERMATOLOGY");
    date = dateProperty();
    slots = intProperty("slots", defaultSlots, 1, 840);
    capacity = intProperty("capacity", defaultCapacity, 1, 1000);
    releaseDelaySeconds = intProperty("releaseDelaySeconds", defaultReleaseDelaySeconds, 1, 600);
    retries = intProperty("retries", 3, 0, 20);
    retryAfterCapSeconds = intProperty("retryAfterCapSeconds", 5, 0, 120);
    setupConcurrency = intProperty("setupConcurrency", 8, 1, 64);
    privateKey = Path.of(System.getProperty("privateKey", "../bin/dev-keys/private.pem")).toAbsolutePath().normalize();
    issuer = System.getProperty("issuer", "firstvisit-dev");
    runId = "lt-" + Long.toString(System.currentTimeMillis(), 36)
        + Integer.toString(ThreadLocalRandom.current().nextInt(36 * 36), 36);
    if (!Files.isReadable(privateKey)) {
      throw new IllegalArgumentException("privateKey " + privateKey + " is not readable (pass -DprivateKey=...)");
    }
  }

  static LoadConfig fromSystemProperties(int defaultSlots, int defaultCapacity, int defaultReleaseDelaySeconds) {
    return new LoadConfig(defaultSlots, defaultCapacity, defaultReleaseDelaySeconds);
  }

  String firstBaseUrl() {
    return baseUrls.get(0);
  }

  static int intProperty(String name, int defaultValue, int min, int max) {
    int value = Integer.parseInt(System.getProperty(name, Integer.toString(defaultValue)).trim());
    if (value < min || value > max) {
      throw new IllegalArgumentException("-D" + name + "=" + value + " is outside [" + min + ", " + max + "]");
    }
    return value;
  }

  static double doubleProperty(String name, double defaultValue) {
    return Double.parseDouble(System.getProperty(name, Double.toString(defaultValue)).trim());
  }

  /** Set only when the property was given: lets a simulation skip an assertion nobody asked for. */
  static Double optionalDoubleProperty(String name) {
    String value = System.getProperty(name);
    return value == null || value.isBlank() ? null : Double.valueOf(value.trim());
  }

  /**
   * A random day from 2027 on unless -Ddate is given, so each run books a department-date no earlier
   * run has sold out. The service lists availability at most 730 days ahead, so the day stays within
   * 700 days of today (Asia/Shanghai).
   */
  private static LocalDate dateProperty() {
    String given = System.getProperty("date");
    if (given != null && !given.isBlank()) {
      return LocalDate.parse(given.trim());
    }
    LocalDate today = LocalDate.now(Release.HOSPITAL_ZONE);
    LocalDate latest = today.plusDays(700);
    LocalDate earliest = max(LocalDate.of(2027, 1, 1), today.plusDays(7));
    if (earliest.isAfter(latest)) {
      earliest = today.plusDays(7);
    }
    return earliest.plusDays(ThreadLocalRandom.current().nextLong(ChronoUnit.DAYS.between(earliest, latest) + 1));
  }

  private static LocalDate max(LocalDate a, LocalDate b) {
    return a.isAfter(b) ? a : b;
  }

  private static List<String> loopbackUrls(String commaSeparated) {
    List<String> urls = Arrays.stream(commaSeparated.split(","))
        .map(String::trim)
        .filter(url -> !url.isEmpty())
        .map(url -> url.endsWith("/") ? url.substring(0, url.length() - 1) : url)
        .toList();
    if (urls.isEmpty()) {
      throw new IllegalArgumentException("-DbaseUrls is empty");
    }
    for (String url : urls) {
      String host = URI.create(url).getHost();
      if (host == null || !LOOPBACK.contains(host.toLowerCase())) {
        throw new IllegalArgumentException(
            "baseUrl " + url + " is not on this machine; load tests only target 127.0.0.1/localhost");
      }
    }
    return urls;
  }
}
