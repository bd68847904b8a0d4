package io.cocoplane.keybroker;

import java.time.Clock;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import io.cocoplane.keybroker.persistence.SessionRepository;

/** Deletes expired sessions every minute (trustee sweeps every 60 s too); lookups ignore expired rows anyway. */
@Component
public class SessionSweeper {

    private final SessionRepository sessions;
    private final Clock clock;

    /** Spring constructor. */
    public SessionSweeper(SessionRepository sessions, Clock clock) {
        this.sessions = sessions;
        this.clock = clock;
    }

    /** Runs the sweep. */
    @Scheduled(fixedDelayString = "${cocoplane.keybroker.session.sweep-interval:60s}")
    public void sweep() {
        sessions.purgeExpired(clock.instant());
    }
}
