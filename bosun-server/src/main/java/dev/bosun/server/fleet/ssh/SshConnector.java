package dev.bosun.server.fleet.ssh;

import java.io.IOException;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.auth.pubkey.UserAuthPublicKeyFactory;
import org.apache.sshd.client.channel.ChannelDirectTcpip;
import org.apache.sshd.client.config.hosts.HostConfigEntryResolver;
import org.apache.sshd.client.future.AuthFuture;
import org.apache.sshd.client.future.ConnectFuture;
import org.apache.sshd.client.future.OpenFuture;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.client.session.forward.ExplicitPortForwardingTracker;
import org.apache.sshd.common.AttributeRepository;
import org.apache.sshd.common.config.keys.FilePasswordProvider;
import org.apache.sshd.common.kex.KexProposalOption;
import org.apache.sshd.common.keyprovider.KeyIdentityProvider;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.SessionListener;
import org.apache.sshd.common.util.net.SshdSocketAddress;
import org.apache.sshd.core.CoreModuleProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens SSH sessions to hosts, with one shared SSH client: started when constructed, stopped by
 * {@link #close()} (with the server). Authentication is by key file only; host keys are checked by
 * a {@link HostKeyPolicy}; a dead connection is noticed by heartbeats within {@code interval ×
 * (misses + 1)}. Connecting blocks: call it from a virtual thread.
 */
public final class SshConnector implements AutoCloseable {
  /** With the defaults a host that stops answering is dropped within 8 seconds. */
  public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(2);

  public static final int DEFAULT_MISSED_HEARTBEATS = 3;

  private static final Logger LOG = LoggerFactory.getLogger(SshConnector.class);

  private final SshClient client;

  public SshConnector() {
    this(DEFAULT_HEARTBEAT_INTERVAL, DEFAULT_MISSED_HEARTBEATS);
  }

  public SshConnector(Duration heartbeatInterval, int missedHeartbeats) {
    Objects.requireNonNull(heartbeatInterval, "heartbeatInterval is null");
    if (heartbeatInterval.isNegative() || heartbeatInterval.isZero() || missedHeartbeats < 1) {
      throw new IllegalArgumentException("heartbeats need a positive interval and misses");
    }
    client = SshClient.setUpDefaultClient();
    // Nothing from ~/.ssh: no config file, no default identities, no agent, no passwords.
    client.setHostConfigEntryResolver(HostConfigEntryResolver.EMPTY);
    client.setKeyIdentityProvider(KeyIdentityProvider.EMPTY_KEYS_PROVIDER);
    client.setFilePasswordProvider(FilePasswordProvider.EMPTY);
    client.setUserAuthFactories(List.of(UserAuthPublicKeyFactory.INSTANCE));
    client.setServerKeyVerifier(
        (session, remote, key) -> {
          HostKeyCheck check = checkOf(session);
          return check != null && check.verify(key);
        });
    client.addSessionListener(new PreferKnownHostKeyTypes());
    CoreModuleProperties.HEARTBEAT_INTERVAL.set(client, heartbeatInterval);
    CoreModuleProperties.HEARTBEAT_NO_REPLY_MAX.set(client, missedHeartbeats);
    CoreModuleProperties.IDLE_TIMEOUT.set(client, Duration.ZERO);
    client.start();
  }

  /**
   * An authenticated session to {@code target}, through its jump host if it has one. Throws {@link
   * SshException} naming the host and what to fix when the key cannot be read, the host cannot be
   * reached or refuses the key, or its host key is refused by {@code policy}.
   */
  public SshSession connect(SshTarget target, HostKeyPolicy policy) {
    Objects.requireNonNull(target, "target is null");
    Objects.requireNonNull(policy, "policy is null");
    KeyPair key = IdentityFiles.load(target.identityFile());
    long start = System.nanoTime();
    SshSession session;
    if (target.proxyJump().isEmpty()) {
      session = open(target, key, policy, target.hostname(), target.port(), null);
    } else {
      session = connectThroughJump(target, key, policy);
    }
    LOG.debug(
        "connected to {} in {} ms",
        target,
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
    return session;
  }

  private SshSession connectThroughJump(SshTarget target, KeyPair key, HostKeyPolicy policy) {
    SshSession jump;
    try {
      jump = connect(target.proxyJump().orElseThrow(), policy);
    } catch (SshException e) {
      throw ConnectFailures.jumpFailed(target, e);
    }
    ExplicitPortForwardingTracker tunnel;
    try {
      // As OpenSSH's ProxyJump (and MINA's own): a loopback port on this side, forwarded by the
      // jump host to the target's SSH port; the target's session runs over it end to end.
      tunnel =
          jump.clientSession()
              .createLocalPortForwardingTracker(
                  new SshdSocketAddress(SshdSocketAddress.LOCALHOST_IPV4, 0),
                  new SshdSocketAddress(target.hostname(), target.port()));
    } catch (IOException | RuntimeException e) {
      jump.close();
      throw new SshException(
          SshException.Reason.JUMP_FAILED,
          "cannot open a local tunnel port to reach "
              + target.address()
              + " through the jump host "
              + jump.target().address()
              + " ("
              + ConnectFailures.describe(e)
              + ")",
          e);
    }
    try {
      SshdSocketAddress local = tunnel.getBoundAddress();
      return open(target, key, policy, local.getHostName(), local.getPort(), jump);
    } catch (SshException e) {
      SshException explained =
          switch (e.reason()) {
            case UNREACHABLE -> diagnoseTunnel(jump, target);
            case TIMEOUT ->
                ConnectFailures.timedOut(
                    target,
                    "answer through the jump host " + jump.target().address(),
                    "check that the jump host can reach it and that sshd runs there");
            default -> null;
          };
      jump.close();
      throw explained != null ? explained : e;
    }
  }

  /** Why the jump host cannot reach the target, found by asking it to connect once more. */
  private static SshException diagnoseTunnel(SshSession jump, SshTarget target) {
    try (ChannelDirectTcpip probe =
        jump.clientSession()
            .createDirectTcpipChannel(
                new SshdSocketAddress(SshdSocketAddress.LOCALHOST_IPV4, 0),
                new SshdSocketAddress(target.hostname(), target.port()))) {
      OpenFuture opened = probe.open();
      if (!opened.await(target.connectTimeout())) {
        return ConnectFailures.timedOut(target, "accept a connection from the jump host");
      }
      return opened.isOpened()
          ? null
          : ConnectFailures.tunnelRefused(target, opened.getException());
    } catch (IOException | RuntimeException e) {
      return ConnectFailures.tunnelRefused(target, e);
    }
  }

  /** Connects and authenticates one hop: {@code target}, found at {@code host:port}. */
  private SshSession open(
      SshTarget target, KeyPair key, HostKeyPolicy policy, String host, int port, SshSession jump) {
    HostKeyCheck check = HostKeyCheck.prepare(target.hostname(), target.port(), policy);
    long deadline = System.nanoTime() + target.connectTimeout().toNanos();
    ClientSession session;
    try {
      ConnectFuture connecting =
          client.connect(
              target.user(),
              host,
              port,
              AttributeRepository.ofKeyValuePair(HostKeyCheck.ATTRIBUTE, check),
              null);
      if (!connecting.await(remaining(deadline))) {
        connecting.cancel();
        throw ConnectFailures.timedOut(target, "accept a connection");
      }
      if (connecting.getException() != null) {
        throw ConnectFailures.connectFailed(target, connecting.getException());
      }
      session = connecting.getSession();
    } catch (IOException | RuntimeException e) {
      throw e instanceof SshException ssh ? ssh : ConnectFailures.connectFailed(target, e);
    }
    try {
      session.addPublicKeyIdentity(key);
      AuthFuture auth = session.auth();
      boolean done = auth.await(remaining(deadline));
      if (done && auth.isSuccess()) {
        check.commit();
        return new SshSession(target, session, check.presented().orElseThrow(), jump, client);
      }
      throw authenticationFailure(target, session, check, done ? auth.getException() : null, done);
    } catch (IOException | RuntimeException e) {
      session.close(true);
      throw e instanceof SshException ssh
          ? ssh
          : authenticationFailure(target, session, check, e, true);
    }
  }

  private static SshException authenticationFailure(
      SshTarget target,
      ClientSession session,
      HostKeyCheck check,
      Throwable failure,
      boolean done) {
    if (check.refusal().isPresent()) {
      return check.refusal().get();
    }
    if (!done) {
      return check.presented().isEmpty()
          ? ConnectFailures.handshakeTimedOut(target)
          : ConnectFailures.timedOut(target, "finish authenticating");
    }
    if (check.presented().isPresent() && session.isOpen() && !session.isAuthenticated()) {
      return ConnectFailures.authFailed(target);
    }
    return ConnectFailures.closedDuringHandshake(target, failure);
  }

  private static long remaining(long deadline) {
    return Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
  }

  static HostKeyCheck checkOf(Session session) {
    if (session instanceof ClientSession client && client.getConnectionContext() != null) {
      return client.getConnectionContext().getAttribute(HostKeyCheck.ATTRIBUTE);
    }
    return null;
  }

  @Override
  public void close() {
    try {
      client.stop();
    } catch (RuntimeException e) {
      LOG.warn("stopping the SSH client failed: {}", e.toString());
    }
  }

  /**
   * Asks the host for a key of a type it is already known by, first, as OpenSSH does; otherwise a
   * host with several keys could present another and look like one whose key changed.
   */
  private static final class PreferKnownHostKeyTypes implements SessionListener {
    @Override
    public void sessionNegotiationOptionsCreated(
        Session session, Map<KexProposalOption, String> proposal) {
      HostKeyCheck check = checkOf(session);
      String offered = proposal.get(KexProposalOption.SERVERKEYS);
      if (check == null || offered == null || check.knownKeyTypes().isEmpty()) {
        return;
      }
      List<String> algorithms = new ArrayList<>(Arrays.asList(offered.split(",")));
      List<String> preferred = new ArrayList<>();
      for (String type : check.knownKeyTypes()) {
        for (String algorithm : signatureAlgorithms(type)) {
          if (algorithms.remove(algorithm)) {
            preferred.add(algorithm);
          }
        }
      }
      preferred.addAll(algorithms);
      proposal.put(KexProposalOption.SERVERKEYS, String.join(",", preferred));
    }

    private static List<String> signatureAlgorithms(String keyType) {
      return keyType.equals("ssh-rsa")
          ? List.of("rsa-sha2-512", "rsa-sha2-256", "ssh-rsa")
          : List.of(keyType);
    }
  }
}
