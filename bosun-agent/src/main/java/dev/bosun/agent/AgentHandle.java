package dev.bosun.agent;

import dev.bosun.model.host.HostResources;
import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * A running agent. {@link #close()} stops serving and releases the data directory; jobs keep
 * running (they live in their own sessions) and a later agent on the same directory recovers them.
 */
public final class AgentHandle implements AutoCloseable {
  private final AgentHttpServer server;
  private final JobService jobs;
  private final DataDirectory dataDirectory;
  private final String bootId;
  private final HostResources resources;
  private final dev.bosun.agent.ssh.JobSshServer ssh;
  private final CountDownLatch closed = new CountDownLatch(1);

  AgentHandle(
      AgentHttpServer server,
      JobService jobs,
      DataDirectory dataDirectory,
      String bootId,
      HostResources resources,
      dev.bosun.agent.ssh.JobSshServer ssh) {
    this.server = server;
    this.ssh = ssh;
    this.jobs = jobs;
    this.dataDirectory = dataDirectory;
    this.bootId = bootId;
    this.resources = resources;
  }

  /** The port the agent listens on. */
  public int port() {
    return server.port();
  }

  /** {@code http://host:port}, to pass to {@link dev.bosun.api.agent.AgentClient}. */
  public URI baseUri() {
    return server.baseUri();
  }

  /** The bearer token every request must carry. */
  public String token() {
    return dataDirectory.token();
  }

  /** The random id of this start. */
  public String bootId() {
    return bootId;
  }

  public Path dataDir() {
    return dataDirectory.root();
  }

  /** What the agent detected at start. */
  public HostResources resources() {
    return resources;
  }

  /** The loopback port of the SSH server into the agent's jobs, or -1 when it did not start. */
  public int sshPort() {
    return ssh == null ? -1 : ssh.port();
  }

  /** The SSH server into the agent's jobs, or null when it did not start. */
  public dev.bosun.agent.ssh.JobSshServer ssh() {
    return ssh;
  }

  /** The agent's jobs, for the SSH server's lookup ({@link JobSshTargets}). */
  JobService jobService() {
    return jobs;
  }

  /** Blocks until {@link #close()} has run. */
  public void awaitClose() throws InterruptedException {
    closed.await();
  }

  @Override
  public synchronized void close() {
    if (closed.getCount() == 0) {
      return;
    }
    try {
      server.close();
      if (ssh != null) {
        ssh.close();
      }
      jobs.close();
      dataDirectory.close();
    } finally {
      closed.countDown();
    }
  }
}
