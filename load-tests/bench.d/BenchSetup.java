// Set-up for load-tests/bench (not measured), through the v1 API only. Run with the JDK's single-file launcher:
//   java BenchSetup.java base <baseUrl> <privateKey.pem> <outDir> <runId> <soldOutAccounts> <warmAccounts>
//        <surgeDays> <slotsPerDay> <capacity> <warmSlots>
//   java BenchSetup.java more <baseUrl> <privateKey.pem> <outDir> <runId> <arrivals> <freshTokens> <surgeDays>
// base: one first-visit doctor per department, the surge release (surgeDays department-days x slotsPerDay
// slots x capacity), a warm-up release, a release where every tap wins, and one slot of capacity 1 that a
// filler patient books so that it is FULL; the sold-out and warm-up accounts with one child each.
// more (after (b) is measured, sized from its rate): the surge parents and never-sent tokens.
// Tokens are RS256 like bin/dev-token. Files:
//   accounts.tsv  token<TAB>patientId            sold-out phases; the token also created the patient
//   warm.tsv      token<TAB>patientId<TAB>0      warm-up arrivals (own accounts, own release)
//   win.tsv       token<TAB>patientId<TAB>day    every-tap-wins release: the sold-out accounts once per day
//   slots.tsv, warm_slots.tsv, win_slots.tsv     day<TAB>slotId;  soldout.txt: the FULL slot's id
//   arrivals.tsv  token<TAB>patientId<TAB>day    (more) surge parents: accounts of their own whose children
//                                                the booking path has never looked up, with a never-sent token
//   fresh.tsv     token<TAB>patientId            (more) the sold-out accounts again, one never-sent token a line
//   setup.env, setup2.env                        facts for the report
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.RSAPublicKeySpec;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

public class BenchSetup {

    static final String ISSUER = "firstvisit-dev";
    static final ZoneId BEIJING = ZoneId.of("Asia/Shanghai");
    static final String[][] DEPARTMENTS = {
            {"BCH", "GROWTH"}, {"BCH", "NUTRITION"}, {"BCH", "DERMATOLOGY"}, {"CCMC", "GROWTH"},
            {"CCMC", "NUTRITION"}, {"CCMC", "DERMATOLOGY"}};
    static final int SURGE_DEPARTMENTS = 4; // departments 4 and 5: warm-up release and the FULL slot
    static final Pattern ID = Pattern.compile("\"id\":\"([0-9a-f-]{36})\"");
    static final Pattern SLOT_ID = Pattern.compile("\\{\"id\":\"([0-9a-f-]{36})\",\"hospital\"");
    static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    static PrivateKey key;
    static String base;
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    static final ExecutorService CPU = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors());

    public static void main(String[] a) throws Exception {
        base = a[1];
        key = readKey(Path.of(a[2]));
        Path out = Path.of(a[3]);
        String run = a[4];
        Files.createDirectories(out);
        if (a[0].equals("base")) {
            base(out, run, Integer.parseInt(a[5]), Integer.parseInt(a[6]), Integer.parseInt(a[7]), Integer.parseInt(a[8]),
                    Integer.parseInt(a[9]), Integer.parseInt(a[10]));
        } else {
            more(out, run, Integer.parseInt(a[5]), Integer.parseInt(a[6]), Integer.parseInt(a[7]));
        }
        CPU.shutdown();
    }

    /** Doctors, releases, the FULL slot, the sold-out and warm-up accounts with their children. */
    static void base(Path out, String run, int soldOutAccounts, int warmAccounts, int surgeDays, int slotsPerDay, int capacity,
                     int warmSlots) throws Exception {
        if (slotsPerDay > 900 || warmSlots > 900) {
            throw new IllegalArgumentException("at most 900 one-minute slots per department-day");
        }
        long t0 = System.nanoTime();
        String scheduler = mint("fvbench-" + run + "-scheduler", "scheduler");

        String[] doctors = new String[DEPARTMENTS.length];
        for (int d = 0; d < DEPARTMENTS.length; d++) {
            String body = String.format("{\"hospital\":\"%s\",\"department\":\"%s\",\"name\":\"Dr. Bench %s\",\"title\":\"Attending\",\"firstVisitQualified\":true}",
                    DEPARTMENTS[d][0], DEPARTMENTS[d][1], run);
            doctors[d] = first(ID, post("/api/v1/admin/doctors", scheduler, body, 201));
        }
        // Surge day k: department k % 4 on the date D + k / 4. D is two days ahead so no slot starts during the run.
        LocalDate d0 = LocalDate.now(BEIJING).plusDays(2);
        String releaseAt = Instant.now().minusSeconds(60).atZone(BEIJING).toOffsetDateTime().toString();
        StringBuilder slots = new StringBuilder();
        for (int day = 0; day < surgeDays; day++) {
            for (String id : publish(scheduler, doctors[day % SURGE_DEPARTMENTS], d0.plusDays(day / SURGE_DEPARTMENTS), releaseAt, slotsPerDay, capacity)) {
                slots.append(day).append('\t').append(id).append('\n');
            }
        }
        Files.writeString(out.resolve("slots.tsv"), slots);
        StringBuilder warm = new StringBuilder();
        for (String id : publish(scheduler, doctors[4], d0, releaseAt, warmSlots, capacity)) {
            warm.append("0\t").append(id).append('\n');
        }
        Files.writeString(out.resolve("warm_slots.tsv"), warm);
        String full = publish(scheduler, doctors[5], d0, releaseAt, 1, 1).get(0);
        StringBuilder winSlots = new StringBuilder();
        for (int day = 0; day < SURGE_DEPARTMENTS; day++) { // D + 30: no surge day lands there
            for (String id : publish(scheduler, doctors[day], d0.plusDays(30), releaseAt, 10, 400)) {
                winSlots.append(day).append('\t').append(id).append('\n');
            }
        }
        Files.writeString(out.resolve("win_slots.tsv"), winSlots);
        Files.writeString(out.resolve("soldout.txt"), full + "\n");
        System.out.printf("[setup] %d surge slots on %d department-days, %d warm-up slots, FULL slot %s (%.1fs)%n",
                surgeDays * slotsPerDay, surgeDays, warmSlots, full, secs(t0));

        // The filler takes the only place of the FULL slot.
        String fillerToken = mint("fvbench-" + run + "-filler", "patient");
        String filler = first(ID, post("/api/v1/patients", fillerToken, patientBody(0), 201));
        post("/api/v1/bookings", fillerToken, "{\"slotId\":\"" + full + "\",\"patientId\":\"" + filler + "\"}", 201);

        String[] tokens = mintAll(run, "a", 0, soldOutAccounts);
        String[] warmTokens = mintAll(run, "w", 0, warmAccounts);
        String[] patients = createPatients(tokens);
        String[] warmPatients = createPatients(warmTokens);
        System.out.printf("[setup] %d accounts with a child each, created through the API (%.1fs)%n", soldOutAccounts + warmAccounts, secs(t0));

        // Check the FULL slot answers sold-out to someone else before anything is measured.
        HttpResponse<String> probe = send("/api/v1/bookings", tokens[0],
                "{\"slotId\":\"" + full + "\",\"patientId\":\"" + patients[0] + "\"}");
        if (probe.statusCode() != 409 || !probe.body().contains("sold-out")) {
            throw new IllegalStateException("FULL slot did not answer 409 sold-out: " + probe.statusCode() + " " + probe.body());
        }

        StringBuilder acc = new StringBuilder();
        for (int i = 0; i < soldOutAccounts; i++) {
            acc.append(tokens[i]).append('\t').append(patients[i]).append('\n');
        }
        Files.writeString(out.resolve("accounts.tsv"), acc);
        StringBuilder win = new StringBuilder();
        for (int day = 0; day < SURGE_DEPARTMENTS; day++) {
            for (int i = 0; i < soldOutAccounts; i++) {
                win.append(tokens[i]).append('\t').append(patients[i]).append('\t').append(day).append('\n');
            }
        }
        Files.writeString(out.resolve("win.tsv"), win);
        StringBuilder w = new StringBuilder();
        for (int i = 0; i < warmAccounts; i++) {
            w.append(warmTokens[i]).append('\t').append(warmPatients[i]).append("\t0\n");
        }
        Files.writeString(out.resolve("warm.tsv"), w);
        double verifyMicros = verifyMicros(tokens);
        Files.writeString(out.resolve("setup.env"), String.format(
                "SETUP_SECONDS=%.1f%nSURGE_SLOTS=%d%nSURGE_SEATS=%d%nSURGE_DAYS=%d%nSOLDOUT_ACCOUNTS=%d%nWARM_ACCOUNTS=%d%nFULL_SLOT=%s%nTOKEN_BYTES=%d%nVERIFY_US=%.1f%n",
                secs(t0), surgeDays * slotsPerDay, surgeDays * slotsPerDay * capacity, surgeDays, soldOutAccounts, warmAccounts, full,
                tokens[0].length(), verifyMicros));
        System.out.printf("[setup] done (%.1fs)%n", secs(t0));
    }

    /**
     * Sized from (b)'s measured rate, after it: the surge parents (accounts of their own, a child each, a
     * second token each that nothing has sent yet) and never-sent tokens for the sold-out accounts.
     */
    static void more(Path out, String run, int arrivals, int freshTokens, int surgeDays) throws Exception {
        long t0 = System.nanoTime();
        List<String[]> soldOut = Files.readAllLines(out.resolve("accounts.tsv")).stream().map(l -> l.split("\t")).toList();
        String[] setupTokens = mintAll(run, "s", 0, arrivals);
        String[] patients = createPatients(setupTokens);
        String[] arrivalTokens = mintAll(run, "s", 0, arrivals); // the same accounts, new jti: never verified
        StringBuilder arr = new StringBuilder();
        for (int i = 0; i < arrivals; i++) {
            arr.append(arrivalTokens[i]).append('\t').append(patients[i]).append('\t').append(i % surgeDays).append('\n');
        }
        Files.writeString(out.resolve("arrivals.tsv"), arr);
        // Sold-out account i mod n, but a token of its own (new jti) that the service has never verified.
        int n = soldOut.size();
        String[] fresh = mintAll(0, freshTokens, i -> String.format("fvbench-%s-a%06d", run, i % n));
        StringBuilder f = new StringBuilder();
        for (int i = 0; i < freshTokens; i++) {
            f.append(fresh[i]).append('\t').append(soldOut.get(i % n)[1]).append('\n');
        }
        Files.writeString(out.resolve("fresh.tsv"), f);
        Files.writeString(out.resolve("setup2.env"), String.format("SETUP2_SECONDS=%.1f%nARRIVALS=%d%nFRESH_TOKENS=%d%n",
                secs(t0), arrivals, freshTokens));
        System.out.printf("[setup] %d surge parents created through the API, their arrival tokens and %d fresh tokens minted (%.1fs)%n",
                arrivals, freshTokens, secs(t0));
    }

    /**
     * The bare cost of one RS256 check on this machine (JDK SHA256withRSA over header.payload, 2048-bit
     * key), single thread, after a warm-up: the floor of what the service pays per request for the token,
     * before jose4j parses the JSON and smallrye-jwt checks the claims.
     */
    static double verifyMicros(String[] tokens) throws Exception {
        RSAPrivateCrtKey crt = (RSAPrivateCrtKey) key;
        PublicKey pub = KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(crt.getModulus(), crt.getPublicExponent()));
        Base64.Decoder dec = Base64.getUrlDecoder();
        long start = 0;
        int warm = 3000, timed = 10000;
        for (int i = 0; i < warm + timed; i++) {
            if (i == warm) {
                start = System.nanoTime();
            }
            String t = tokens[i % tokens.length];
            int dot = t.lastIndexOf('.');
            Signature rs256 = Signature.getInstance("SHA256withRSA");
            rs256.initVerify(pub);
            rs256.update(t.substring(0, dot).getBytes(StandardCharsets.US_ASCII));
            if (!rs256.verify(dec.decode(t.substring(dot + 1)))) {
                throw new IllegalStateException("token does not verify");
            }
        }
        return (System.nanoTime() - start) / 1e3 / timed;
    }

    static List<String> publish(String token, String doctor, LocalDate date, String releaseAt, int count, int capacity) throws Exception {
        List<String> ids = new ArrayList<>();
        for (int from = 0; from < count; from += 500) {
            StringBuilder body = new StringBuilder("{\"doctorId\":\"" + doctor + "\",\"visitType\":\"FIRST\",\"releaseAt\":\"" + releaseAt + "\",\"slots\":[");
            for (int i = from; i < Math.min(count, from + 500); i++) {
                var start = date.atTime(6, 0).plusMinutes(i).atZone(BEIJING).toOffsetDateTime();
                body.append(i == from ? "" : ",").append("{\"start\":\"").append(start).append("\",\"end\":\"")
                        .append(start.plusMinutes(1)).append("\",\"capacity\":").append(capacity).append('}');
            }
            Matcher m = SLOT_ID.matcher(post("/api/v1/admin/slots", token, body.append("]}").toString(), 201));
            while (m.find()) {
                ids.add(m.group(1));
            }
        }
        if (ids.size() != count) {
            throw new IllegalStateException("published " + ids.size() + " slots, expected " + count);
        }
        return ids;
    }

    static String[] createPatients(String[] tokens) throws Exception {
        String[] ids = new String[tokens.length];
        Semaphore inFlight = new Semaphore(32);
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (int i = 0; i < tokens.length; i++) {
            int n = i;
            inFlight.acquire();
            all.add(HTTP.sendAsync(request("/api/v1/patients", tokens[i], patientBody(i)), HttpResponse.BodyHandlers.ofString())
                    .thenAccept(r -> {
                        if (r.statusCode() != 201) {
                            throw new IllegalStateException("POST /api/v1/patients: " + r.statusCode() + " " + r.body());
                        }
                        ids[n] = first(ID, r.body());
                    })
                    .whenComplete((ok, f) -> inFlight.release()));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
        return ids;
    }

    static String patientBody(int i) {
        // Born 2016..2023: every child is within the pilot's 18-year limit on the visit date.
        LocalDate birth = LocalDate.of(2016, 1, 1).plusDays(i % 2900);
        return "{\"name\":\"Bench Child " + i + "\",\"birthDate\":\"" + birth + "\",\"sex\":\"" + (i % 2 == 0 ? "FEMALE" : "MALE") + "\"}";
    }

    /** Tokens for accounts from..to-1 of this kind, at their index (the rest of the array stays empty). */
    static String[] mintAll(String run, String kind, int from, int to) throws Exception {
        return mintAll(from, to, i -> String.format("fvbench-%s-%s%06d", run, kind, i));
    }

    static String[] mintAll(int from, int to, IntFunction<String> account) throws Exception {
        String[] tokens = new String[to];
        int workers = Runtime.getRuntime().availableProcessors();
        List<CompletableFuture<Void>> parts = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            int first = from + w;
            parts.add(CompletableFuture.runAsync(() -> {
                for (int i = first; i < to; i += workers) {
                    tokens[i] = mint(account.apply(i), "patient");
                }
            }, CPU));
        }
        CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new)).join();
        return tokens;
    }

    /** The same token as bin/dev-token: RS256, kid firstvisit-dev, 24 h, a fresh jti. */
    static String mint(String account, String group) {
        long now = Instant.now().getEpochSecond();
        String header = "{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"firstvisit-dev\"}";
        String payload = String.format("{\"iss\":\"%s\",\"sub\":\"%s\",\"upn\":\"%s\",\"groups\":[\"%s\"],\"iat\":%d,\"exp\":%d,\"jti\":\"%s\"}",
                ISSUER, account, account, group, now, now + 86_400, UUID.randomUUID());
        String input = B64.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "." + B64.encodeToString(payload.getBytes(StandardCharsets.UTF_8));
        try {
            Signature rs256 = Signature.getInstance("SHA256withRSA");
            rs256.initSign(key);
            rs256.update(input.getBytes(StandardCharsets.US_ASCII));
            return input + "." + B64.encodeToString(rs256.sign());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static HttpRequest request(String path, String token, String body) {
        return HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    static HttpResponse<String> send(String path, String token, String body) throws Exception {
        return HTTP.send(request(path, token, body), HttpResponse.BodyHandlers.ofString());
    }

    static String post(String path, String token, String body, int expected) throws Exception {
        HttpResponse<String> r = send(path, token, body);
        if (r.statusCode() != expected) {
            throw new IllegalStateException("POST " + path + ": " + r.statusCode() + " " + r.body());
        }
        return r.body();
    }

    static String first(Pattern p, String body) {
        Matcher m = p.matcher(body);
        if (!m.find()) {
            throw new IllegalStateException("no id in " + body);
        }
        return m.group(1);
    }

    static double secs(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    static PrivateKey readKey(Path pem) throws Exception {
        String text = Files.readString(pem, StandardCharsets.US_ASCII)
                .replace("-----BEGIN PRIVATE KEY-----", "").replace("-----END PRIVATE KEY-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(text)));
    }
}
