package dev.bosun.server.fleet.ssh;

import static dev.bosun.server.fleet.ssh.SshConnectTest.USER;
import static dev.bosun.server.fleet.ssh.SshConnectTest.assertFails;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.bosun.server.fleet.ssh.SshException.Reason;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A host reached through a jump host: two real sshd, the jump on 127.0.0.1, the target on
 * 127.0.0.2; the jump's debug log proves the connection went through it.
 */
class SshProxyJumpTest {
  @TempDir static Path keysDir;
  static TestKeys keys;

  @TempDir Path dir;
  SshTestServer jump;
  SshTestServer target;
  SshConnector connector;
  FileHostKeyStore store;

  @BeforeAll
  static void makeKeys() {
    keys = TestKeys.generate(keysDir);
  }

  @BeforeEach
  void startServers() {
    jump = SshTestServer.start(dir.resolve("jump"), "127.0.0.1", "LogLevel DEBUG1");
    target = SshTestServer.start(dir.resolve("target"), "127.0.0.2");
    jump.authorize(keys.rsa());
    target.authorize(keys.ed25519());
    connector = new SshConnector();
    store = new FileHostKeyStore(dir.resolve("host-keys"));
  }

  @AfterEach
  void stopServers() {
    connector.close();
    jump.close();
    target.close();
  }

  SshTarget throughJump() {
    return target.target(USER, keys.ed25519()).withProxyJump(jump.target(USER, keys.rsa()));
  }

  @Test
  void connectsThroughTheJumpHostAndChecksBothHostKeys() {
    try (SshSession session =
        connector.connect(throughJump(), HostKeyPolicy.trustOnFirstUse(store))) {
      String connection = session.exec("echo $SSH_CONNECTION", Duration.ofSeconds(10)).stdout();
      assertThat(connection).endsWith(" 127.0.0.2 " + target.port() + "\n");
      assertThat(session.hostKey()).isEqualTo(target.hostKey("ed25519"));
    }
    assertThat(jump.log())
        .contains("direct-tcpip")
        .contains("target 127.0.0.2 port " + target.port());
    assertThat(store.known("127.0.0.1", jump.port())).contains(jump.hostKey("ed25519"));
    assertThat(store.known("127.0.0.2", target.port())).contains(target.hostKey("ed25519"));
    await("the jump host's session ends with the target's")
        .atMost(Duration.ofSeconds(5))
        .until(() -> jump.sessionProcesses() == 0);
  }

  @Test
  void jumpHostThatIsDownIsNamed() {
    jump.killAll();
    SshException failure =
        catchSsh(() -> connector.connect(throughJump(), HostKeyPolicy.trustOnFirstUse(store)));
    assertThat(failure.reason()).isEqualTo(Reason.JUMP_FAILED);
    assertThat(failure.getMessage())
        .contains(
            "cannot use the jump host 127.0.0.1:" + jump.port(),
            "to reach 127.0.0.2:" + target.port(),
            "nothing is listening on 127.0.0.1:" + jump.port());
    assertThat(((SshException) failure.getCause()).reason()).isEqualTo(Reason.UNREACHABLE);
    assertThat(failure.isTransient()).isTrue();
  }

  @Test
  void jumpHostWithAChangedKeyIsRefused() {
    store.remember("127.0.0.1", jump.port(), target.hostKey("ed25519"));
    SshException failure =
        catchSsh(() -> connector.connect(throughJump(), HostKeyPolicy.trustOnFirstUse(store)));
    assertThat(failure.reason()).isEqualTo(Reason.JUMP_FAILED);
    assertThat(failure.getMessage()).contains("the host key of 127.0.0.1:" + jump.port());
    assertThat(((SshException) failure.getCause()).reason()).isEqualTo(Reason.HOST_KEY_CHANGED);
    assertThat(failure.isTransient()).isFalse();
  }

  @Test
  void targetTheJumpHostCannotReachIsNamed() {
    target.killAll();
    assertFails(
        () -> connector.connect(throughJump(), HostKeyPolicy.trustOnFirstUse(store)),
        Reason.UNREACHABLE,
        "the jump host 127.0.0.1:" + jump.port() + " cannot reach 127.0.0.2:" + target.port());
    await("the jump host's session is closed")
        .atMost(Duration.ofSeconds(5))
        .until(() -> jump.sessionProcesses() == 0);
  }

  @Test
  void jumpHostThatForbidsForwardingSaysSo() {
    SshTestServer strict =
        SshTestServer.start(dir.resolve("strict-jump"), "127.0.0.1", "AllowTcpForwarding no");
    try {
      strict.authorize(keys.rsa());
      SshTarget viaStrict =
          target.target(USER, keys.ed25519()).withProxyJump(strict.target(USER, keys.rsa()));
      assertFails(
          () -> connector.connect(viaStrict, HostKeyPolicy.trustOnFirstUse(store)),
          Reason.JUMP_FAILED,
          "the jump host 127.0.0.1:" + strict.port() + " refuses to forward connections",
          "AllowTcpForwarding");
    } finally {
      strict.close();
    }
  }

  @Test
  void targetSessionEndsWhenTheJumpHostDies() throws InterruptedException {
    SshSession session = connector.connect(throughJump(), HostKeyPolicy.trustOnFirstUse(store));
    CountDownLatch closed = new CountDownLatch(1);
    session.onClosed(closed::countDown);
    jump.killAll();
    assertThat(closed.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(session.isOpen()).isFalse();
    assertThatThrownBy(() -> session.exec("true", Duration.ofSeconds(5)))
        .isInstanceOfSatisfying(
            SshException.class, e -> assertThat(e.reason()).isEqualTo(Reason.DISCONNECTED));
  }

  private static SshException catchSsh(Runnable call) {
    try {
      call.run();
    } catch (SshException e) {
      return e;
    }
    throw new AssertionError("expected an SshException");
  }
}
