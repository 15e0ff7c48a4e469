# Aggregates `jfr print --events jdk.ExecutionSample --stack-depth N` output: where the service's Java
# threads were running when sampled. Prints markdown tables for docs/performance.md:
#  - by concern, exclusive: each sample is charged to the concern of the top-most (leaf-most) frame that is
#    not JDK code (java.*, javax.*, jdk.*, sun.*, com.sun.*), so BigInteger arithmetic inside an RS256
#    verification counts for token verification and the shares add up to 100 %;
#  - token verification, inclusive: samples with jose4j / smallrye-jwt anywhere on the stack;
#  - the top frames (self) and the threads (not with -v brief=1).
# Also writes "@@ key=value" to stderr for load-tests/bench.
function concern(frame) {
  if (frame ~ /^(org\.jose4j|io\.smallrye\.jwt|io\.quarkus\.smallrye\.jwt)\./) return "token verification (jose4j, smallrye-jwt: RS256, JSON claims)"
  if (frame ~ /^(io\.vertx\.redis|io\.quarkus\.redis)\./) return "Redis client (vertx-redis-client, quarkus-redis)"
  if (frame ~ /^(io\.vertx\.pgclient|io\.vertx\.sqlclient|org\.hibernate\.reactive|org\.hibernate\.(engine|internal|loader|persister|sql|event))\./) return "PostgreSQL client, Hibernate Reactive"
  if (frame ~ /^com\.fasterxml\.jackson\./) return "JSON (Jackson)"
  if (frame ~ /^(org\.hibernate\.validator|jakarta\.validation)\./) return "bean validation (Hibernate Validator)"
  if (frame ~ /^io\.smallrye\.faulttolerance\./) return "fault tolerance (SmallRye)"
  if (frame ~ /^(io\.micrometer|io\.quarkus\.micrometer)\./) return "metrics (Micrometer)"
  if (frame ~ /^org\.jboss\.log/) return "logging"
  if (frame ~ /^io\.firstvisit\./) return "FirstVisit code (io.firstvisit)"
  if (frame ~ /^(io\.smallrye\.mutiny|io\.smallrye\.context|io\.smallrye\.reactive|io\.quarkus\.mutiny)\./) return "Mutiny, context propagation"
  if (frame ~ /^io\.quarkus\.arc\./) return "CDI (ArC)"
  if (frame ~ /^(io\.quarkus\.security|io\.quarkus\.vertx\.http\.runtime\.security|io\.smallrye\.security)\./) return "HTTP security (Quarkus)"
  if (frame ~ /^(org\.jboss\.resteasy\.reactive|io\.quarkus\.resteasy\.reactive|io\.quarkus\.rest)\./) return "REST layer (Quarkus REST)"
  if (frame ~ /^(io\.vertx|io\.quarkus\.vertx)\./) return "Vert.x (core, web, HTTP server)"
  if (frame ~ /^io\.netty\./) return "Netty (HTTP codec, channels, sockets)"
  if (frame ~ /^(java|javax|jdk|sun|com\.sun)\./) return ""
  return "other libraries"
}
function flush(   i, c) {
  if (nframes == 0) return
  total++
  c = ""
  for (i = 1; i <= nframes && c == ""; i++) c = concern(frames[i])
  if (c == "") c = "JDK only (no library frame on the stack)"
  excl[c]++
  if (stack ~ /org\.jose4j|io\.smallrye\.jwt|io\.quarkus\.smallrye\.jwt/) {
    token++
    if (frames[1] ~ /^(sun\.security\.rsa|java\.math\.)/) rsa++
  }
  self[frames[1]]++
  t = thread; gsub(/[-#]?[0-9]+$/, "", t); threads[t]++
  nframes = 0; stack = ""
}
function top(arr, n, header,    k, i, m, order, cnt, name) {
  print header
  m = 0; for (k in arr) order[++m] = sprintf("%09d %s", arr[k], k)
  asort(order)
  for (i = m; i > 0 && i > m - n; i--) {
    cnt = substr(order[i], 1, 9) + 0; name = substr(order[i], 11)
    printf "| %s | %.1f %% |\n", name, 100 * cnt / total
  }
  print ""
}
BEGIN { total = 0; nframes = 0; stack = ""; token = 0; rsa = 0 }
/^jdk\.ExecutionSample/ { flush(); next }
/sampledThread = / { thread = $0; sub(/.*sampledThread = "/, "", thread); sub(/".*/, "", thread); next }
/^    [^ ]/ && !/^    \.\.\./ {
  f = $0; sub(/^ +/, "", f); sub(/\(.*/, "", f)
  frames[++nframes] = f; stack = stack " " f
  next
}
END {
  flush()
  if (total == 0) { print "No execution samples were recorded."; exit }
  printf "%d execution samples (Java threads running Java code; time inside native code, such as socket syscalls, and GC threads are not sampled here).\n\n", total
  top(excl, 20, "| where the time goes (leaf-most library frame; JDK frames charged to their caller) | share |\n| --- | ---: |")
  print "| token verification, inclusive | share |"
  print "| --- | ---: |"
  printf "| jose4j / smallrye-jwt anywhere on the stack | %.1f %% |\n", 100 * token / total
  printf "| … of which in RSA arithmetic (`sun.security.rsa`, `java.math` on top) | %.1f %% |\n\n", 100 * rsa / total
  if (!brief) {
    for (k in self) { s = self[k]; delete self[k]; self["`" k "`"] = s }
    top(self, 15, "| top frame (self) | share |\n| --- | ---: |")
    top(threads, 5, "| thread | share |\n| --- | ---: |")
  }
  printf "@@ jfr_samples=%d jfr_token_pct=%.1f jfr_rsa_pct=%.1f\n", total, 100 * token / total, 100 * rsa / total > "/dev/stderr"
}
