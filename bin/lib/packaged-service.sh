# Sourced by load-tests/smoke.sh and web-tests/run.sh: a packaged FirstVisit run on free local ports.
# The caller defines log() and sets service_pid (the JVM's pid, empty when none), service_log and stop_timeout.

# A port nobody listens on right now (a connect to it is refused).
free_port() {
  local port
  for _ in $(seq 1 50); do
    port=$((20000 + RANDOM % 20000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return 0
    fi
  done
  return 1
}

# SIGTERM, wait for a clean exit, SIGKILL after the grace period. Returns 1 if SIGKILL was needed.
stop_service() {
  [ -n "$service_pid" ] || return 0
  local pid=$service_pid status=0
  service_pid=
  if kill -0 "$pid" 2>/dev/null; then
    log "stopping service (pid $pid) with SIGTERM"
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 "$stop_timeout"); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 1
    done
    if kill -0 "$pid" 2>/dev/null; then
      log "service still running ${stop_timeout}s after SIGTERM; sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      status=1
    fi
  fi
  wait "$pid" 2>/dev/null || true # a JVM ended by SIGTERM may exit 143; the log tells whether it was clean
  return "$status"
}

show_service_log() {
  log "last lines of $service_log:"
  tail -n 60 "$service_log" 2>/dev/null | sed 's/^/    /' || true
}
