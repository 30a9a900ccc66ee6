package dev.bosun.agent.ssh;

import dev.bosun.agent.docker.DockerClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.session.ServerSession;

/**
 * Finds where each request of a session lands: the job the session's user name names (looked up
 * again for every channel, so a job that ended refuses new channels), and for container jobs the
 * container's current state.
 */
final class JobSessions {
  private static final Set<String> LOCAL_HOSTS =
      Set.of("localhost", "127.0.0.1", "::1", "0:0:0:0:0:0:0:1", "ip6-localhost");

  private final SshJobs jobs;
  private final Supplier<DockerClient> docker;
  private final boolean root;

  JobSessions(SshJobs jobs, Supplier<DockerClient> docker, boolean root) {
    this.jobs = jobs;
    this.docker = docker;
    this.root = root;
  }

  /** The session's job, if a session may enter it now. */
  SshJob job(ServerSession session) throws JobUnavailableException {
    return job(session.getUsername());
  }

  /** The job, if a session may enter it now. */
  SshJob job(String jobId) throws JobUnavailableException {
    SshJob job = jobs.find(jobId);
    if (job instanceof SshJob.ContainerJob && !root) {
      throw new JobUnavailableException(
          "job "
              + jobId
              + " runs in a container, which this agent can enter only when it runs as root");
    }
    return job;
  }

  ContainerEntry enter(SshJob.ContainerJob job) throws JobUnavailableException {
    if (docker == null) {
      throw new JobUnavailableException("this agent has no Docker client for job " + job.jobId());
    }
    return ContainerEntry.of(docker.get(), job);
  }

  /** The process an exec ({@code command}) or shell ({@code null}) request runs. */
  Launch launch(ServerSession session, String command, Environment env)
      throws JobUnavailableException {
    // a pty-req sets the terminal's modes (none when the client has no terminal itself, as with
    // ssh -tt < file) and its size
    boolean ptyRequested =
        !env.getPtyModes().isEmpty() || env.getEnv().containsKey(Environment.ENV_COLUMNS);
    Launch.Pty pty = Launch.pty(env.getEnv(), ptyRequested).orElse(null);
    var clientEnv = Launch.clientEnv(env.getEnv());
    return switch (job(session)) {
      case SshJob.ProcessJob process -> Launch.process(process, command, clientEnv, pty);
      case SshJob.ContainerJob container ->
          Launch.container(enter(container), command, clientEnv, pty);
    };
  }

  /**
   * Where a {@code direct-tcpip} channel goes.
   *
   * @param address the address connected to: the job's own loopback for process jobs and
   *     host-network containers, the container's address for containers on a bridge network (empty
   *     when it has none: then only the relay)
   * @param relayPid for a container on a bridge network, its main process: when nothing listens at
   *     {@code address} (a server on the container's loopback only), the channel is carried by a
   *     {@link ContainerRelay} in this process's network namespace; 0 otherwise
   * @param loopback the loopback address the relay connects to in the container
   */
  record ForwardTarget(String address, long relayPid, String loopback) {
    boolean relay() {
      return relayPid > 0;
    }
  }

  /**
   * Where a {@code direct-tcpip} request to {@code host:port} connects: only the job's own
   * loopback, which is the host's for process jobs and host-network containers; for the others the
   * container's address, else (nothing listens there) the container's own loopback through a relay.
   */
  ForwardTarget forwardTarget(String jobId, String host, int port) throws JobUnavailableException {
    if (!LOCAL_HOSTS.contains(host.toLowerCase(Locale.ROOT))) {
      throw new JobUnavailableException(
          "only ports of the job itself can be forwarded (localhost:PORT), not " + host);
    }
    if (port <= 0 || port > 65535) {
      throw new JobUnavailableException("no such port " + port);
    }
    String loopback = host.contains(":") ? "::1" : "127.0.0.1";
    return switch (job(jobId)) {
      case SshJob.ProcessJob process -> new ForwardTarget(loopback, 0, loopback);
      case SshJob.ContainerJob container when container.hostNetwork() ->
          new ForwardTarget("127.0.0.1", 0, loopback);
      case SshJob.ContainerJob container -> {
        ContainerEntry entry = enter(container);
        yield new ForwardTarget(entry.ipAddress(), entry.pid(), loopback);
      }
    };
  }

  /** Whether this process runs as root (uid 0). */
  static boolean runsAsRoot() {
    try {
      return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
    } catch (Exception e) {
      return "root".equals(System.getProperty("user.name"));
    }
  }
}
