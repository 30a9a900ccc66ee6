package dev.bosun.agent;

import dev.bosun.agent.ssh.JobSshServer;
import dev.bosun.api.agent.JobState;
import dev.bosun.api.agent.StopRequest;
import dev.bosun.model.state.JobStatus;
import dev.bosun.model.state.TerminationReason;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops jobs that have an {@code inactivity_duration} (dev environments) once no SSH session has
 * been in them for that long. A job is idle from the last time a session opened, closed or moved
 * data, or from its start if no one ever connected; and never from before this agent started, so an
 * agent restart (which drops live sessions) does not stop an environment that was in use.
 */
final class InactivityWatch {
  private static final Logger LOG = LoggerFactory.getLogger(InactivityWatch.class);

  /** How often jobs are checked: the precision of the limit. */
  static final Duration PERIOD = Duration.ofSeconds(1);

  /** Who is in a job: the agent's SSH server. */
  interface Sessions {
    int sessions(String jobId);

    Optional<Instant> lastActivity(String jobId);

    static Sessions of(JobSshServer ssh) {
      return new Sessions() {
        @Override
        public int sessions(String jobId) {
          return ssh.sessions(jobId);
        }

        @Override
        public Optional<Instant> lastActivity(String jobId) {
          return ssh.lastActivity(jobId);
        }
      };
    }
  }

  private final JobService jobs;
  private final Sessions sessions;
  private final InstantSource clock;
  private final Instant since;

  InactivityWatch(JobService jobs, Sessions sessions, InstantSource clock) {
    this.jobs = jobs;
    this.sessions = sessions;
    this.clock = clock;
    this.since = clock.instant();
  }

  /** Checks every {@link #PERIOD} on the job service's timer until the agent closes. */
  static void start(JobService jobs, Sessions sessions, InstantSource clock) {
    InactivityWatch watch = new InactivityWatch(jobs, sessions, clock);
    jobs.every(PERIOD, watch::check);
  }

  /** Stops every running job that has been idle for its limit. */
  void check() {
    Instant now = clock.instant();
    for (Job job : jobs.table().all()) {
      Long limit = job.record().spec().inactivityDurationSeconds();
      JobState state = job.record().state();
      if (limit == null
          || state.status() != JobStatus.RUNNING
          || job.record().stopReason() != null
          || sessions.sessions(job.id()) > 0) {
        continue;
      }
      Instant idleSince = latest(since, state.startedAt(), sessions.lastActivity(job.id()));
      if (!now.isBefore(idleSince.plusSeconds(limit))) {
        LOG.info(
            "job {}: no SSH session for {} s (its inactivity_duration): stopping", job.id(), limit);
        jobs.stop(job.id(), new StopRequest(false, TerminationReason.INACTIVITY_DURATION_EXCEEDED));
      }
    }
  }

  private static Instant latest(Instant since, Instant startedAt, Optional<Instant> activity) {
    Instant latest = since;
    if (startedAt != null && startedAt.isAfter(latest)) {
      latest = startedAt;
    }
    if (activity.isPresent() && activity.get().isAfter(latest)) {
      latest = activity.get();
    }
    return latest;
  }
}
