package dev.bosun.server.ssh;

import dev.bosun.api.agent.AgentClient;
import dev.bosun.server.fleet.AgentConnections;
import dev.bosun.store.JobRecord;
import dev.bosun.store.RunRecord;
import dev.bosun.store.Store;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may open SSH sessions into running jobs: the SSH keys of the members of the job's project.
 * The server tells each job's agent (which keeps them in memory only) when the job has been
 * submitted, whenever the agent connects again, and at once when a key is added or removed — so a
 * removed key opens no new session and closes the live ones.
 */
public final class SshAccess {
  private static final Logger LOG = LoggerFactory.getLogger(SshAccess.class);

  private final Store store;
  private final AgentConnections connections;

  public SshAccess(Store store, AgentConnections connections) {
    this.store = store;
    this.connections = connections;
  }

  /** A job was handed to its agent. */
  public void jobSubmitted(String jobId) {
    store.job(jobId).ifPresent(job -> push(List.of(job), new HashMap<>()));
  }

  /** An agent connected (again): it knows no keys. */
  public void instanceConnected(String instanceId) {
    push(
        store.activeJobs().stream().filter(job -> instanceId.equals(job.instanceId())).toList(),
        new HashMap<>());
  }

  /** A user's keys changed: every running job of their projects gets the new set. */
  public void userKeysChanged(String userId) {
    List<String> projects =
        store.projectNamesOf(userId).stream()
            .map(store::project)
            .flatMap(Optional::stream)
            .map(dev.bosun.store.ProjectRecord::id)
            .toList();
    List<JobRecord> jobs =
        store.activeJobs().stream()
            .filter(job -> job.instanceId() != null)
            .filter(
                job ->
                    store
                        .runById(job.runId())
                        .map(run -> projects.contains(run.projectId()))
                        .orElse(false))
            .toList();
    push(jobs, new HashMap<>());
  }

  private void push(List<JobRecord> jobs, Map<String, List<String>> keysByProject) {
    for (JobRecord job : jobs) {
      if (job.instanceId() == null || job.status().isFinished()) {
        continue;
      }
      Optional<RunRecord> run = store.runById(job.runId());
      Optional<AgentClient> client = connections.client(job.instanceId());
      if (run.isEmpty() || client.isEmpty()) {
        continue;
      }
      List<String> keys =
          keysByProject.computeIfAbsent(run.get().projectId(), store::projectSshKeys);
      try {
        client.get().authorizeSshKeys(job.id(), keys);
      } catch (RuntimeException e) {
        LOG.debug("job {}: its agent did not take the SSH keys: {}", job.id(), e.getMessage());
      }
    }
  }
}
