#!/usr/bin/env bash
# CI smoke run of the release surge. Boots the packaged service on a free local port (and its
# management interface, health and metrics, on another) with the dev profile (PostgreSQL and Redis on 127.0.0.1 with the profile's defaults), waits for readiness,
# runs a small ReleaseSurgeSimulation and the same crowd through QueuedReleaseSimulation against it
# (post-run oversell checks included), stops the
# service with SIGTERM, and exits non-zero if any step failed.
#
#   load-tests/smoke.sh [path/to/quarkus-run.jar]
#
# Environment (all optional):
#   FIRSTVISIT_JAR          the packaged service (default: <repo>/target/quarkus-app/quarkus-run.jar)
#   SMOKE_TIMEOUT_SECONDS   bound for the whole script (default 600: includes Maven resolving Gatling)
#   READY_TIMEOUT_SECONDS   bound for /q/health/ready to answer 200 (default 120)
#   STOP_TIMEOUT_SECONDS    grace period after SIGTERM before SIGKILL (default 30)
#   SMOKE_PROPS             extra -D properties for the simulation, e.g. "-Dpatients=500"
#   JAVA                    java executable for the service (default: java)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")

# Everything below runs under timeout(1): a hang anywhere ends the job. On expiry timeout signals
# its whole process group (this script, Maven, Gatling and the service), and the trap still stops
# the service.
if [ -z "${FIRSTVISIT_SMOKE_BOUNDED:-}" ]; then
  export FIRSTVISIT_SMOKE_BOUNDED=1
  exec timeout --kill-after=15 "${SMOKE_TIMEOUT_SECONDS:-600}" bash "$0" "$@"
fi

jar=${1:-${FIRSTVISIT_JAR:-$root/target/quarkus-app/quarkus-run.jar}}
java=${JAVA:-java}
ready_timeout=${READY_TIMEOUT_SECONDS:-120}
stop_timeout=${STOP_TIMEOUT_SECONDS:-30}
work="$here/target/smoke"
service_log="$work/service.log"
service_pid=

log() { printf '[smoke] %s\n' "$*"; }

# free_port, stop_service, show_service_log
. "$root/bin/lib/packaged-service.sh"

trap 'stop_service || true' EXIT
trap 'log "interrupted"; exit 130' INT
trap 'log "terminated (timeout?)"; show_service_log; exit 124' TERM

if [ ! -f "$jar" ]; then
  log "no packaged service at $jar (build it with ./mvnw package -DskipTests, or pass the jar path)"
  exit 2
fi
mkdir -p "$work"
port=$(free_port) || { log "no free port found"; exit 1; }
management_port=$(free_port) || { log "no free port found"; exit 1; }
while [ "$management_port" = "$port" ]; do management_port=$(free_port) || exit 1; done

log "starting $jar on 127.0.0.1:$port, management on 127.0.0.1:$management_port (QUARKUS_PROFILE=dev), log: $service_log"
QUARKUS_PROFILE=dev QUARKUS_HTTP_PORT="$port" QUARKUS_MANAGEMENT_HOST=127.0.0.1 QUARKUS_MANAGEMENT_PORT="$management_port" \
  "$java" -jar "$jar" >"$service_log" 2>&1 &
service_pid=$!

log "waiting up to ${ready_timeout}s for /q/health/ready"
deadline=$((SECONDS + ready_timeout))
until curl -fsS --max-time 5 -o /dev/null "http://127.0.0.1:$management_port/q/health/ready" 2>/dev/null; do
  if ! kill -0 "$service_pid" 2>/dev/null; then
    log "service exited before it was ready"
    show_service_log
    exit 1
  fi
  if [ "$SECONDS" -ge "$deadline" ]; then
    log "service not ready after ${ready_timeout}s; last readiness answer:"
    curl -sS --max-time 5 "http://127.0.0.1:$management_port/q/health/ready" 2>&1 | sed 's/^/    /' || true
    show_service_log
    exit 1
  fi
  sleep 1
done
log "service ready after $((SECONDS - deadline + ready_timeout))s"

# Small profile: 200 parents within 3 s on 5 slots x 10 seats, release 5 s after set-up. At least
# one booking must succeed; the oversell check in after() fails the run on any violation.
simulation_status=0
# shellcheck disable=SC2086 # SMOKE_PROPS is a list of -D arguments
(cd "$root" && ./mvnw -B -f load-tests gatling:test \
  -Dgatling.simulationClass=io.firstvisit.load.ReleaseSurgeSimulation \
  -DbaseUrls="http://127.0.0.1:$port" \
  -Dpatients=200 -Dslots=5 -Dcapacity=10 -DwindowSeconds=3 -DreleaseDelaySeconds=5 \
  -Dretries=3 -DminBookings=1 -Dp99Ms=5000 -DmaxErrorPct=0 \
  ${SMOKE_PROPS:-}) || simulation_status=$?

# The same crowd through the waiting room (issue 11): tickets in the 3 s before the release, admitted at 100 a
# second, polled as Retry-After says; the same post-run check, and a 403 from the gate fails the run.
if [ "$simulation_status" -eq 0 ]; then
  # shellcheck disable=SC2086
  (cd "$root" && ./mvnw -B -f load-tests gatling:test \
    -Dgatling.simulationClass=io.firstvisit.load.QueuedReleaseSimulation \
    -DbaseUrls="http://127.0.0.1:$port" \
    -Dpatients=200 -Dslots=5 -Dcapacity=10 -DticketWindowSeconds=3 -DadmitPerSecond=100 \
    -Dretries=3 -DminBookings=1 -Dp99Ms=5000 -DmaxErrorPct=0 \
    ${SMOKE_PROPS:-}) || simulation_status=$?
fi

stop_status=0
stop_service || stop_status=$?

if [ "$simulation_status" -ne 0 ]; then
  log "FAILED: the simulation or its post-run check failed (exit $simulation_status); see the output above"
  show_service_log
  exit 1
fi
if [ "$stop_status" -ne 0 ]; then
  log "FAILED: the service did not stop within ${stop_timeout}s of SIGTERM"
  show_service_log
  exit 1
fi
log "PASSED"
