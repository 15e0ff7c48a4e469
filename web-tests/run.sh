#!/usr/bin/env bash
# Browser tests of the booking page. Installs what they need (npm ci; Debian's chromium when /usr/bin/chromium is
# missing and we are root), boots the packaged service on a free local port with the dev profile (its dev console
# mints the tests' tokens), waits until the API answers, runs the tests in headless Chromium, stops the service
# with SIGTERM, and exits non-zero if anything failed. Screenshots: web-tests/target/screenshots/.
#
#   web-tests/run.sh [path/to/quarkus-run.jar]
#
# Environment (all optional):
#   FIRSTVISIT_JAR          the packaged service (default: <repo>/target/quarkus-app/quarkus-run.jar)
#   WEB_TESTS_TIMEOUT_SECONDS  bound for the whole script (default 600)
#   READY_TIMEOUT_SECONDS   bound for GET /api/v1/hospitals to answer 200 (default 120)
#   STOP_TIMEOUT_SECONDS    grace period after SIGTERM before SIGKILL (default 30)
#   DB_NAME, REDIS_HOSTS    passed to the service (default: the dev profile's, database postgres and Redis db 0)
#   CHROMIUM                the browser (default /usr/bin/chromium)
#   JAVA                    java executable for the service (default: java)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")

# Bounded like load-tests/smoke.sh: on expiry timeout signals the whole group, and the trap still stops the service.
if [ -z "${FIRSTVISIT_WEB_TESTS_BOUNDED:-}" ]; then
  export FIRSTVISIT_WEB_TESTS_BOUNDED=1
  exec timeout --kill-after=15 "${WEB_TESTS_TIMEOUT_SECONDS:-600}" bash "$0" "$@"
fi

jar=${1:-${FIRSTVISIT_JAR:-$root/target/quarkus-app/quarkus-run.jar}}
java=${JAVA:-java}
chromium=${CHROMIUM:-/usr/bin/chromium}
ready_timeout=${READY_TIMEOUT_SECONDS:-120}
stop_timeout=${STOP_TIMEOUT_SECONDS:-30}
work="$here/target"
service_log="$work/service.log"
service_pid=

log() { printf '[web-tests] %s\n' "$*"; }

# free_port, stop_service, show_service_log
. "$root/bin/lib/packaged-service.sh"

trap 'stop_service || true' EXIT
trap 'log "interrupted"; exit 130' INT
trap 'log "terminated (timeout?)"; show_service_log; exit 124' TERM

if [ ! -f "$jar" ]; then
  log "no packaged service at $jar (build it with ./mvnw package -DskipTests, or pass the jar path)"
  exit 2
fi

if [ ! -x "$chromium" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    log "installing Debian's chromium (and a CJK font, so screenshots show the Chinese text)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium fonts-noto-cjk >/dev/null
  else
    log "$chromium is missing: install Debian's chromium package (or set CHROMIUM)"
    exit 2
  fi
fi

log "npm ci (playwright-core, axe-core)"
(cd "$here" && npm ci --no-audit --no-fund --loglevel=error)

mkdir -p "$work"
rm -rf "$work/screenshots"
port=$(free_port) || { log "no free port found"; exit 1; }
management_port=$(free_port) || { log "no free port found"; exit 1; }
while [ "$management_port" = "$port" ]; do management_port=$(free_port) || exit 1; done

# From the repository root: the dev console reads the development key at bin/dev-keys/private.pem. The booking
# rate limit refills slowly (one attempt per 5 s after the usual burst of 10), so that the test of a 429 and its
# Retry-After can empty an account's bucket without racing the refill; no other test comes near the burst.
log "starting $jar on 127.0.0.1:$port (QUARKUS_PROFILE=dev), log: $service_log"
(cd "$root" && QUARKUS_PROFILE=dev QUARKUS_HTTP_PORT="$port" QUARKUS_MANAGEMENT_PORT="$management_port" FIRSTVISIT_RATE_LIMIT_BOOKINGS_PER_SECOND=0.2 \
  exec "$java" -jar "$jar") >"$service_log" 2>&1 &
service_pid=$!

# Readiness: an API route on the main port (the health endpoints may live on a management port).
log "waiting up to ${ready_timeout}s for GET /api/v1/hospitals"
deadline=$((SECONDS + ready_timeout))
until curl -fsS --max-time 5 -o /dev/null "http://127.0.0.1:$port/api/v1/hospitals" 2>/dev/null; do
  if ! kill -0 "$service_pid" 2>/dev/null; then
    log "service exited before it was ready"
    show_service_log
    exit 1
  fi
  if [ "$SECONDS" -ge "$deadline" ]; then
    log "service not ready after ${ready_timeout}s"
    show_service_log
    exit 1
  fi
  sleep 1
done
log "service ready"

test_status=0
(cd "$here" && BASE_URL="http://127.0.0.1:$port" CHROMIUM="$chromium" node --test --test-concurrency=1 tests/) || test_status=$?

stop_status=0
stop_service || stop_status=$?

if [ "$test_status" -ne 0 ]; then
  log "FAILED: the browser tests failed (exit $test_status); screenshots in $work/screenshots"
  show_service_log
  exit 1
fi
if [ "$stop_status" -ne 0 ]; then
  log "FAILED: the service did not stop within ${stop_timeout}s of SIGTERM"
  exit 1
fi
log "PASSED (screenshots in $work/screenshots)"
