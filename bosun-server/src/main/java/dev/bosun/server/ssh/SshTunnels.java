package dev.bosun.server.ssh;

import dev.bosun.api.SshTarget;
import dev.bosun.api.agent.AgentInfo;
import dev.bosun.model.error.BosunException;
import dev.bosun.model.error.ErrorCode;
import dev.bosun.model.state.JobStatus;
import dev.bosun.server.fleet.AgentConnection;
import dev.bosun.server.fleet.AgentConnections;
import dev.bosun.store.JobRecord;
import dev.bosun.store.ProjectRecord;
import dev.bosun.store.RunRecord;
import dev.bosun.store.Store;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Comparator;

/**
 * Finds the way into a running job for an SSH client: the job (by rank), its agent's SSH server and
 * how this server reaches it (the loopback of this machine for the local fleet, a port forwarded
 * over the server's SSH connection for SSH hosts) — so users need no new inbound port on any host,
 * only the server they already talk to.
 */
public final class SshTunnels {
  private final Store store;
  private final AgentConnections connections;
  private final dev.bosun.server.runs.RunSpecs specs;

  public SshTunnels(
      Store store, AgentConnections connections, dev.bosun.server.runs.RunSpecs specs) {
    this.store = store;
    this.connections = connections;
    this.specs = specs;
  }

  /** Who to log in as, which host key to expect, and what to open in an IDE. */
  public SshTarget target(ProjectRecord project, String runName, int jobNum) {
    Located located = locate(project, runName, jobNum);
    dev.bosun.server.runs.RunSpec spec = specs.of(located.run());
    String dir =
        spec.workingDir() != null && spec.workingDir().startsWith("/") ? spec.workingDir() : null;
    return new SshTarget(
        runName, jobNum, located.job().id(), located.info().sshHostKey(), dir, spec.ide());
  }

  /** Where this server connects to carry a client's SSH connection into the job. */
  public InetSocketAddress address(ProjectRecord project, String runName, int jobNum) {
    Located located = locate(project, runName, jobNum);
    try {
      return located.connection().reach(located.info().sshPort());
    } catch (IOException e) {
      throw new BosunException(
          ErrorCode.AGENT_UNAVAILABLE,
          "cannot reach the host of run " + runName + ": " + e.getMessage());
    }
  }

  private record Located(
      RunRecord run, JobRecord job, AgentConnection connection, AgentInfo info) {}

  private Located locate(ProjectRecord project, String runName, int jobNum) {
    RunRecord run =
        store
            .run(project.id(), runName)
            .orElseThrow(
                () ->
                    new BosunException(
                        ErrorCode.RUN_NOT_FOUND,
                        "no run named '" + runName + "' in project '" + project.name() + "'"));
    if (run.status().isFinished()) {
      throw new BosunException(
          ErrorCode.RUN_NOT_ACTIVE,
          "run " + runName + " is " + run.status().wireName() + ": there is nothing to enter");
    }
    JobRecord job =
        store.jobs(run.id()).stream()
            .filter(j -> j.jobNum() == jobNum)
            .max(Comparator.comparingInt(JobRecord::submissionNum))
            .orElseThrow(
                () ->
                    new BosunException(
                        ErrorCode.INVALID_REQUEST,
                        "run " + runName + " has no job " + jobNum + " (--job takes a node rank)"));
    if (job.status() != JobStatus.RUNNING) {
      throw new BosunException(
          ErrorCode.RUN_NOT_ACTIVE,
          "run "
              + runName
              + " is "
              + run.status().wireName()
              + ": its job is not running yet, so there is nothing to enter yet");
    }
    AgentConnection connection =
        connections
            .connected(job.instanceId())
            .orElseThrow(
                () ->
                    new BosunException(
                        ErrorCode.AGENT_UNAVAILABLE,
                        "the host of run " + runName + " is not reachable now; try again soon"));
    AgentInfo info = connection.info();
    if (info == null || info.sshPort() == null) {
      throw new BosunException(
          ErrorCode.AGENT_UNAVAILABLE,
          "the agent on the host of run "
              + runName
              + " has no SSH server (an older agent): re-apply its fleet to update it");
    }
    return new Located(run, job, connection, info);
  }
}
