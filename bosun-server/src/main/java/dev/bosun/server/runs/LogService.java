package dev.bosun.server.runs;

import dev.bosun.api.RunLogs;
import dev.bosun.api.agent.AgentClient;
import dev.bosun.api.agent.AgentException;
import dev.bosun.api.agent.AgentRequestException;
import dev.bosun.api.agent.LogChunk;
import dev.bosun.model.error.BosunException;
import dev.bosun.model.error.ErrorCode;
import dev.bosun.server.RunEvents;
import dev.bosun.server.fleet.AgentConnections;
import dev.bosun.store.JobRecord;
import dev.bosun.store.ProjectRecord;
import dev.bosun.store.RunRecord;
import dev.bosun.store.Store;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Serves a run's log from the agent that keeps it, following the run across retries: when a job's
 * log is exhausted and a newer job exists, the answer points the reader at the newer job.
 */
public final class LogService {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(LogService.class);
  private static final int LIMIT = 1 << 20;
  private static final Duration CONNECT_GRACE = Duration.ofSeconds(10);

  private final Store store;
  private final RunService runs;
  private final AgentConnections connections;
  private final RunEvents events;
  private final LogArchive archive;

  public LogService(
      Store store,
      RunService runs,
      AgentConnections connections,
      RunEvents events,
      LogArchive archive) {
    this.store = store;
    this.runs = runs;
    this.connections = connections;
    this.events = events;
    this.archive = archive;
  }

  /**
   * Copies the logs of every job the instance ever ran to the server, before the host leaves its
   * fleet; a host that cannot be reached keeps them (and they are lost with it).
   */
  public void archiveInstance(String instanceId) {
    Optional<AgentClient> client = connections.client(instanceId);
    if (client.isEmpty()) {
      LOG.warn("instance {}: not connected; its job logs stay on the host", instanceId);
      return;
    }
    for (JobRecord job : store.jobsOnInstance(instanceId)) {
      if (archive.has(job.id())) {
        continue;
      }
      try {
        archive.archive(job.id(), client.get());
      } catch (AgentException | java.io.IOException e) {
        LOG.warn("job {}: cannot copy its log to the server: {}", job.id(), e.getMessage());
      }
    }
  }

  /**
   * The agent's client, waiting a little when it is not connected yet (right after a server restart
   * the connection takes a moment); this path is rare, so a short sleep loop is fine.
   */
  private Optional<AgentClient> awaitConnection(String instanceId, long deadline)
      throws InterruptedException {
    long until = Math.max(deadline, System.nanoTime() + CONNECT_GRACE.toNanos());
    Optional<AgentClient> client = connections.client(instanceId);
    while (client.isEmpty() && System.nanoTime() < until) {
      Thread.sleep(50);
      client = connections.client(instanceId);
    }
    return client;
  }

  private static BosunException unavailable(String run, AgentException e) {
    return new BosunException(
        ErrorCode.AGENT_UNAVAILABLE,
        "could not read the log of run '" + run + "' from its host: " + e.getMessage());
  }

  public RunLogs read(ProjectRecord project, String name, String jobId, long offset, Duration wait)
      throws InterruptedException {
    long deadline = System.nanoTime() + RunService.min(wait).toNanos();
    while (true) {
      long seen = events.version();
      RunRecord run = runs.require(project, name);
      List<JobRecord> all = store.jobs(run.id());
      // jobs() is ordered by submission: a reader without a job starts at the master's (rank 0)
      // first attempt; a reader follows one node across the run's retries.
      JobRecord job =
          jobId == null
              ? all.getFirst()
              : all.stream()
                  .filter(j -> j.id().equals(jobId))
                  .findFirst()
                  .orElseThrow(
                      () ->
                          new BosunException(
                              ErrorCode.NOT_FOUND, "run '" + name + "' has no job " + jobId));
      List<JobRecord> jobs = all.stream().filter(j -> j.jobNum() == job.jobNum()).toList();
      JobRecord latest =
          jobs.stream().max(Comparator.comparingInt(JobRecord::submissionNum)).orElseThrow();
      if (job.instanceId() != null && job.startedAt() != null
          || job.instanceId() != null && job.status().isFinished()) {
        LogChunk chunk;
        if (archive.has(job.id())) {
          chunk = archive.read(job.id(), offset, LIMIT);
        } else {
          Optional<AgentClient> client = awaitConnection(job.instanceId(), deadline);
          if (client.isEmpty()) {
            if (run.status().isFinished() && job.startedAt() == null) {
              return new RunLogs("", offset, true, job.id());
            }
            throw new BosunException(
                ErrorCode.AGENT_UNAVAILABLE,
                "the agent that keeps the log of run '"
                    + name
                    + "' is not reachable now; the log stays on its host and can be read when it is back");
          }
          long left = Math.max(0, deadline - System.nanoTime());
          try {
            chunk = client.get().logs(job.id(), offset, Duration.ofNanos(left), LIMIT);
          } catch (AgentRequestException e) {
            if (e.statusCode() != 404 || !job.status().isFinished()) {
              throw unavailable(name, e);
            }
            chunk = new LogChunk("", offset, true); // the agent never had it: an empty, ended log
          } catch (AgentException e) {
            throw unavailable(name, e);
          }
        }
        if (!chunk.data().isEmpty() || !chunk.eof()) {
          return new RunLogs(chunk.data(), chunk.nextOffset(), false, job.id());
        }
        if (!job.id().equals(latest.id())) {
          // retried: continue with the next attempt
          return new RunLogs("", 0, false, jobs.get(jobs.indexOf(job) + 1).id());
        }
        if (run.status().isFinished()) {
          return new RunLogs("", chunk.nextOffset(), true, job.id());
        }
      } else if (run.status().isFinished()) {
        return new RunLogs("", offset, true, job.id()); // ended before it ever ran
      }
      if (System.nanoTime() >= deadline) {
        return new RunLogs("", offset, false, job.id());
      }
      events.awaitAfter(seen, deadline);
    }
  }
}
