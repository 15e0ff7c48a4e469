// Set-up for load-tests/bench (not measured), through the v1 API only, with the test kit (test-kit/: DevTokens,
// FirstVisitClient). load-tests/bench compiles it with the kit (javac -d DIR test-kit/src/main/java/io/firstvisit/testkit/*.java
// BenchSetup.java) and runs it (java -cp DIR BenchSetup ...):
//   java BenchSetup base <baseUrl> <privateKey.pem> <outDir> <runId> <soldOutAccounts> <warmAccounts>
//        <surgeDays> <slotsPerDay> <capacity> <warmSlots>
//   java BenchSetup more <baseUrl> <privateKey.pem> <outDir> <runId> <arrivals> <freshTokens> <surgeDays>
// base: one first-visit doctor per department, the surge release (surgeDays department-days x slotsPerDay
// slots x capacity), a warm-up release, a release where every tap wins, and one slot of capacity 1 that a
// filler patient books so that it is FULL; the sold-out and warm-up accounts with one child each.
// more (after (b) is measured, sized from its rate): the surge parents and never-sent tokens.
// Tokens are the kit's DevTokens, the same as bin/dev-token's. Files:
//   accounts.tsv  token<TAB>patientId            sold-out phases; the token also created the patient
//   warm.tsv      token<TAB>patientId<TAB>0      warm-up arrivals (own accounts, own release)
//   win.tsv       token<TAB>patientId<TAB>day    every-tap-wins release: the sold-out accounts once per day
//   slots.tsv, warm_slots.tsv, win_slots.tsv     day<TAB>slotId;  soldout.txt: the FULL slot's id
//   arrivals.tsv  token<TAB>patientId<TAB>day    (more) surge parents: accounts of their own whose children
//                                                the booking path has never looked up, with a never-sent token
//   fresh.tsv     token<TAB>patientId            (more) the sold-out accounts again, one never-sent token a line
//   setup.env, setup2.env                        facts for the report
import io.firstvisit.testkit.DevTokens;
import io.firstvisit.testkit.FirstVisitClient;
import io.firstvisit.testkit.FirstVisitClient.NewPatient;
import io.firstvisit.testkit.FirstVisitClient.Publication;
import io.firstvisit.testkit.FirstVisitClient.PublishedSlot;
import io.firstvisit.testkit.FirstVisitClient.SlotSpec;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.IntFunction;

public class BenchSetup {

    static final ZoneId BEIJING = ZoneId.of("Asia/Shanghai");
    static final String[][] DEPARTMENTS = {
            {"BCH", "GROWTH"}, {"BCH", "NUTRITION"}, {"BCH", "DERMATOLOGY"}, {"CCMC", "GROWTH"},
            {"CCMC", "NUTRITION"}, {"CCMC", "DERMATOLOGY"}};
    static final int SURGE_DEPARTMENTS = 4; // departments 4 and 5: warm-up release and the FULL slot

    static DevTokens devTokens;
    static FirstVisitClient api;
    static final ExecutorService CPU = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors());

    public static void main(String[] a) throws Exception {
        api = new FirstVisitClient(a[1]);
        devTokens = DevTokens.fromPem(Path.of(a[2]), DevTokens.ISSUER);
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
            doctors[d] = api.doctor(scheduler, DEPARTMENTS[d][0], DEPARTMENTS[d][1], "Dr. Bench " + run, true);
        }
        // Surge day k: department k % 4 on the date D + k / 4. D is two days ahead so no slot starts during the run.
        LocalDate d0 = LocalDate.now(BEIJING).plusDays(2);
        OffsetDateTime releaseAt = Instant.now().minusSeconds(60).atZone(BEIJING).toOffsetDateTime();
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
        String filler = api.patient(child(fillerToken, 0));
        FirstVisitClient.Answer booked = api.book(fillerToken, full, filler, null);
        if (booked.status() != 201) {
            throw new IllegalStateException("POST /api/v1/bookings (filler): " + booked.status() + " " + booked.body());
        }

        String[] tokens = mintAll(run, "a", 0, soldOutAccounts);
        String[] warmTokens = mintAll(run, "w", 0, warmAccounts);
        String[] patients = createPatients(tokens);
        String[] warmPatients = createPatients(warmTokens);
        System.out.printf("[setup] %d accounts with a child each, created through the API (%.1fs)%n", soldOutAccounts + warmAccounts, secs(t0));

        // Check the FULL slot answers sold-out to someone else before anything is measured.
        FirstVisitClient.Answer probe = api.book(tokens[0], full, patients[0], null);
        if (probe.status() != 409 || !probe.body().contains("sold-out")) {
            throw new IllegalStateException("FULL slot did not answer 409 sold-out: " + probe.status() + " " + probe.body());
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
        PublicKey pub = devTokens.publicKey();
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

    /** {@code count} one-minute slots from 06:00 on the date, in calls of at most 500; their ids. */
    static List<String> publish(String token, String doctor, LocalDate date, OffsetDateTime releaseAt, int count, int capacity) {
        List<SlotSpec> slots = SlotSpec.series(date, LocalTime.of(6, 0), Duration.ofMinutes(1), count, capacity);
        return api.publish(token, Publication.firstCome(doctor, releaseAt, slots)).stream().map(PublishedSlot::id).toList();
    }

    /** One child for each token's account, 32 requests in flight; their ids at the tokens' indexes. */
    static String[] createPatients(String[] tokens) {
        List<NewPatient> children = new ArrayList<>(tokens.length);
        for (int i = 0; i < tokens.length; i++) {
            children.add(child(tokens[i], i));
        }
        return api.patients(children, 32).toArray(String[]::new);
    }

    static NewPatient child(String token, int i) {
        // Born 2016..2023: every child is within the pilot's 18-year limit on the visit date.
        LocalDate birth = LocalDate.of(2016, 1, 1).plusDays(i % 2900);
        return new NewPatient(token, "Bench Child " + i, birth, i % 2 == 0 ? "FEMALE" : "MALE");
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

    /** The same token as bin/dev-token: the test kit's DevTokens (RS256, kid firstvisit-dev, 24 h, a fresh jti). */
    static String mint(String account, String group) {
        return devTokens.mint(account, group);
    }

    static double secs(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }
}
