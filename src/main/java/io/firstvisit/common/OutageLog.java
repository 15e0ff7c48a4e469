package io.firstvisit.common;

import org.jboss.logging.Logger;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Logs a background job's failures once per outage: one WARN when its runs start failing (Redis or
 * PostgreSQL down), DEBUG for the repeats, one INFO when a run succeeds again. A job that runs every
 * second must not write a stack trace every second for the whole length of an outage.
 */
public final class OutageLog {

    private final Logger log;
    private final String job;
    private final AtomicBoolean failing = new AtomicBoolean();

    public OutageLog(Logger log, String job) {
        this.log = log;
        this.job = job;
    }

    public void failed(Throwable failure) {
        if (failing.compareAndSet(false, true)) {
            log.warnf("%s did not finish (logged once until it succeeds again): %s", job, failure.toString());
        } else {
            log.debugf("%s did not finish: %s", job, failure.toString());
        }
    }

    public void succeeded() {
        if (failing.compareAndSet(true, false)) {
            log.infof("%s succeeds again", job);
        }
    }
}
