package dev.bosun.agent.ssh;

import dev.bosun.agent.docker.DockerClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.sshd.common.AttributeRepository.AttributeKey;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.SessionHeartbeatController.HeartbeatType;
import org.apache.sshd.common.session.SessionListener;
import org.apache.sshd.core.CoreModuleProperties;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.auth.pubkey.UserAuthPublicKeyFactory;
import org.apache.sshd.server.channel.ChannelSessionFactory;
import org.apache.sshd.server.session.ServerSession;
import org.apache.sshd.server.session.ServerUserAuthServiceFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's SSH server, through which a standard OpenSSH client enters a running job: {@code ssh
 * -p PORT JOB_ID@127.0.0.1}. It listens on loopback only (a random port); the path from the user to
 * it is someone else's (a tunnel through the server or the SSH host).
 *
 * <ul>
 *   <li>Authentication: public keys only, the SSH user name is the job id and {@link JobKeys}
 *       decides. A job that is not running (or a container job when the agent is not root)
 *       disconnects the client with a message that says why; a job that ends, or a key that is
 *       revoked, closes the sessions it had.
 *   <li>Requests: {@code exec}, {@code shell} (with a real terminal on {@code pty-req}), {@code
 *       env}, {@code window-change}, the {@code sftp} subsystem and {@code direct-tcpip} to the
 *       job's {@code localhost}. No remote, agent or X11 forwarding. See {@link Launch} for how a
 *       request runs for process and container jobs.
 *   <li>Activity: {@link #sessions} and {@link #lastActivity} per job, for {@code
 *       inactivity_duration}.
 * </ul>
 *
 * <p>The host key is an ed25519 key kept in {@link #HOST_KEY_FILE} of the agent's data directory.
 */
public final class JobSshServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(JobSshServer.class);

  /** The host key's file name in the agent's data directory ({@code .pub} beside it). */
  public static final String HOST_KEY_FILE = "ssh_host_ed25519_key";

  private static final Duration WATCH_EVERY = Duration.ofSeconds(1);
  private static final AttributeKey<String> AUTH_KEY = new AttributeKey<>();
  private static final AttributeKey<Boolean> ADMITTED = new AttributeKey<>();

  private final SshServer server;
  private final JobKeys keys;
  private final JobSessions sessions;
  private final SessionActivity activity;
  private final String hostKey;
  private final ScheduledExecutorService watcher;
  private final Runnable stopListening;

  /**
   * What the server serves.
   *
   * @param hostKeyFile where the host key is kept (generated when missing)
   * @param jobs finds the job a session enters
   * @param keys which keys may enter which job
   * @param docker the Docker daemon of container jobs, or null when the agent has none
   * @param clock for {@link #lastActivity}
   */
  public record Settings(
      Path hostKeyFile,
      SshJobs jobs,
      JobKeys keys,
      Supplier<DockerClient> docker,
      InstantSource clock) {
    public Settings {
      Objects.requireNonNull(hostKeyFile, "hostKeyFile is null");
      Objects.requireNonNull(jobs, "jobs is null");
      Objects.requireNonNull(keys, "keys is null");
      clock = clock == null ? InstantSource.system() : clock;
    }

    /** The usual settings: the host key in {@code dataDir}, the system clock. */
    public static Settings of(
        Path dataDir, SshJobs jobs, JobKeys keys, Supplier<DockerClient> docker) {
      return new Settings(dataDir.resolve(HOST_KEY_FILE), jobs, keys, docker, null);
    }
  }

  private JobSshServer(Settings settings, KeyPair hostKeyPair) {
    this.keys = settings.keys();
    this.sessions = new JobSessions(settings.jobs(), settings.docker(), JobSessions.runsAsRoot());
    this.activity = new SessionActivity(settings.clock());
    this.hostKey = HostKey.openSsh(hostKeyPair);
    this.server = SshServer.setUpDefaultServer();
    server.setHost("127.0.0.1");
    server.setPort(0);
    server.setKeyPairProvider(KeyPairProvider.wrap(hostKeyPair));
    server.setUserAuthFactories(List.of(UserAuthPublicKeyFactory.INSTANCE));
    server.setPublickeyAuthenticator(this::authenticate);
    server.setPasswordAuthenticator(null);
    server.setKeyboardInteractiveAuthenticator(null);
    server.setGSSAuthenticator(null);
    server.setHostBasedAuthenticator(null);
    server.setShellFactory(channel -> new SessionProcess(sessions, null));
    server.setCommandFactory((channel, command) -> new SessionProcess(sessions, command));
    JobSftp sftp = new JobSftp(sessions);
    server.setSubsystemFactories(List.of(sftp));
    server.setFileSystemFactory(sftp);
    server.setForwardingFilter(JobForwarding.FILTER);
    server.setServiceFactories(
        List.of(
            ServerUserAuthServiceFactory.INSTANCE, new JobForwarding.ConnectionServiceFactory()));
    server.setChannelFactories(
        List.of(ChannelSessionFactory.INSTANCE, new JobForwarding(sessions)));
    server.setSessionFactory(activity.sessionFactory(server));
    server.setSessionHeartbeat(HeartbeatType.IGNORE, Duration.ofSeconds(30));
    // an idle terminal or IDE window is a session like any other; inactivity is the agent's call
    CoreModuleProperties.IDLE_TIMEOUT.set(server, Duration.ZERO);
    CoreModuleProperties.SERVER_IDENTIFICATION.set(server, "BosunAgent");
    // as OpenSSH's sshd: without it Nagle and delayed ACKs add ~40 ms to each small exchange (an
    // HTTP request through ssh -L took ~50 ms instead of ~9)
    CoreModuleProperties.TCP_NODELAY.set(server, true);
    server.addSessionListener(
        new SessionListener() {
          @Override
          public void sessionEvent(Session session, Event event) {
            if (event == Event.Authenticated && session instanceof ServerSession serverSession) {
              admit(serverSession);
            }
          }

          @Override
          public void sessionClosed(Session session) {
            if (Boolean.TRUE.equals(session.getAttribute(ADMITTED))) {
              activity.closed(session.getUsername());
              LOG.info("job {}: SSH session from {} closed", session.getUsername(), peer(session));
            }
          }
        });
    this.stopListening = keys.onChange(this::closeRevoked);
    this.watcher =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> Thread.ofPlatform().name("bosun-ssh-watch").daemon().unstarted(runnable));
  }

  /**
   * Starts a server on {@code 127.0.0.1} with a random port.
   *
   * @throws IOException when the host key cannot be read or written, or the server cannot listen
   */
  public static JobSshServer start(Settings settings) throws IOException {
    JobSshServer ssh = new JobSshServer(settings, HostKey.loadOrCreate(settings.hostKeyFile()));
    ssh.server.start();
    ssh.watcher.scheduleWithFixedDelay(
        ssh::closeEnded, WATCH_EVERY.toMillis(), WATCH_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    LOG.info(
        "SSH server for jobs listening on 127.0.0.1:{} (host key {})", ssh.port(), ssh.hostKey);
    return ssh;
  }

  /** The port the server listens on, on {@code 127.0.0.1}. */
  public int port() {
    return server.getPort();
  }

  /** The host's public key as {@code ssh-ed25519 AAAA…}, for the client's {@code known_hosts}. */
  public String hostKey() {
    return hostKey;
  }

  /** How many SSH sessions are in the job now. */
  public int sessions(String jobId) {
    return activity.sessions(jobId);
  }

  /**
   * When a session of the job last opened, closed or carried data; empty if none ever did since the
   * server started.
   */
  public Optional<Instant> lastActivity(String jobId) {
    return activity.lastActivity(jobId);
  }

  /** Stops listening and closes every session (their processes end). */
  @Override
  public void close() {
    stopListening.run();
    watcher.shutdownNow();
    try {
      server.stop(true);
    } catch (IOException e) {
      LOG.warn("cannot stop the SSH server: {}", e.toString());
    }
  }

  private boolean authenticate(String user, java.security.PublicKey key, ServerSession session) {
    if (keys.isAuthorized(user, key)) {
      session.setAttribute(AUTH_KEY, JobKeys.canonical(key));
      return true;
    }
    LOG.debug("job {}: refused SSH key {} from {}", user, key.getAlgorithm(), peer(session));
    return false;
  }

  /** A session authenticated: it counts if the job takes sessions now, else it is disconnected. */
  private void admit(ServerSession session) {
    String jobId = session.getUsername();
    try {
      sessions.job(session);
    } catch (JobUnavailableException e) {
      LOG.info("job {}: SSH session from {} refused: {}", jobId, peer(session), e.getMessage());
      // after the authentication's answer has gone out: a client still authenticating ignores a
      // disconnect message
      try {
        watcher.execute(() -> disconnect(session, e.getMessage()));
      } catch (java.util.concurrent.RejectedExecutionException closing) {
        session.close(true);
      }
      return;
    }
    session.setAttribute(ADMITTED, true);
    activity.opened(jobId);
    LOG.info("job {}: SSH session from {} opened", jobId, peer(session));
  }

  /** The job's keys changed: sessions opened with a key it no longer has are closed. */
  private void closeRevoked(String jobId) {
    for (ServerSession session : admitted()) {
      if (session.getUsername().equals(jobId)
          && !keys.isAuthorized(
              jobId, Objects.requireNonNullElse(session.getAttribute(AUTH_KEY), ""))) {
        LOG.info(
            "job {}: closing an SSH session from {}: its key was revoked", jobId, peer(session));
        disconnect(session, "access to job " + jobId + " was revoked");
      }
    }
  }

  /** Closes the sessions of jobs that ended. */
  private void closeEnded() {
    Map<String, String> refusals = new HashMap<>();
    for (ServerSession session : admitted()) {
      String jobId = session.getUsername();
      String refusal =
          refusals.computeIfAbsent(
              jobId,
              id -> {
                try {
                  sessions.job(session);
                  return "";
                } catch (JobUnavailableException e) {
                  return e.getMessage();
                } catch (RuntimeException e) {
                  LOG.warn("job {}: cannot check the job of SSH sessions: {}", id, e.toString());
                  return "";
                }
              });
      if (!refusal.isEmpty()) {
        LOG.info("job {}: closing an SSH session from {}: {}", jobId, peer(session), refusal);
        disconnect(session, refusal);
      }
    }
  }

  private List<ServerSession> admitted() {
    return server.getActiveSessions().stream()
        .filter(ServerSession.class::isInstance)
        .map(ServerSession.class::cast)
        .filter(session -> Boolean.TRUE.equals(session.getAttribute(ADMITTED)))
        .filter(Session::isOpen)
        .toList();
  }

  private static void disconnect(ServerSession session, String message) {
    try {
      session.disconnect(SshConstants.SSH2_DISCONNECT_BY_APPLICATION, message);
    } catch (IOException e) {
      LOG.debug("cannot disconnect {}: {}", session, e.toString());
      session.close(true);
    }
  }

  private static String peer(Session session) {
    return session.getIoSession().getRemoteAddress() instanceof InetSocketAddress address
        ? address.getAddress().getHostAddress() + ":" + address.getPort()
        : String.valueOf(session.getIoSession().getRemoteAddress());
  }
}
