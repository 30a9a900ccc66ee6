package dev.bosun.server.fleet.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bosun.server.fleet.ssh.SshException.Reason;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Connecting to a real sshd: every key format, and a clear error for each way it goes wrong. */
class SshConnectTest {
  static final String USER = System.getProperty("user.name");

  @TempDir static Path dir;
  static TestKeys keys;
  static SshTestServer sshd;
  static SshConnector connector;
  static HostKeyPolicy policy;

  @BeforeAll
  static void startServer() {
    keys = TestKeys.generate(dir);
    sshd = SshTestServer.start(dir.resolve("sshd"), "127.0.0.1");
    keys.authorizeAllButStranger(sshd);
    connector = new SshConnector();
    policy = HostKeyPolicy.trustOnFirstUse(new FileHostKeyStore(dir.resolve("host-keys")));
  }

  @AfterAll
  static void stopServer() {
    if (connector != null) {
      connector.close();
    }
    if (sshd != null) {
      sshd.close();
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "id_ed25519",
        "id_rsa",
        "id_ecdsa",
        "id_rsa_pem",
        "id_ecdsa_pem",
        "id_ecdsa_pkcs8"
      })
  void connectsAndRunsCommandsWithEachKeyFormat(String keyFile) {
    long start = System.nanoTime();
    try (SshSession session = connector.connect(sshd.target(USER, dir.resolve(keyFile)), policy)) {
      long connected = System.nanoTime();
      ExecResult result = session.exec("echo hello; id -un", Duration.ofSeconds(10));
      long executed = System.nanoTime();

      assertThat(result).isEqualTo(new ExecResult(0, "hello\n" + USER + "\n", ""));
      assertThat(session.isOpen()).isTrue();
      assertThat(session.hostKey()).isEqualTo(sshd.hostKey("ed25519"));
      System.out.printf(
          "ssh %s: connect %d ms, exec %d ms%n",
          keyFile, (connected - start) / 1_000_000, (executed - connected) / 1_000_000);
    }
  }

  @Test
  void execRoundTripOnAnOpenSession() {
    try (SshSession session = connect()) {
      long[] millis = new long[10];
      for (int i = 0; i < millis.length; i++) {
        long start = System.nanoTime();
        assertThat(session.exec("true", Duration.ofSeconds(10)).succeeded()).isTrue();
        millis[i] = (System.nanoTime() - start) / 1_000_000;
      }
      java.util.Arrays.sort(millis);
      // Includes the remote login shell's start: root's .bashrc here runs `pyenv init` (~120 ms).
      System.out.printf("ssh exec `true`: p50 %d ms, max %d ms%n", millis[5], millis[9]);
    }
  }

  @Test
  void execReportsExitStatusOutputAndErrors() {
    try (SshSession session = connect()) {
      ExecResult result = session.exec("echo out; echo err >&2; exit 3", Duration.ofSeconds(10));
      assertThat(result).isEqualTo(new ExecResult(3, "out\n", "err\n"));
      assertThat(result.succeeded()).isFalse();

      assertThat(session.exec("kill -TERM $$", Duration.ofSeconds(10)).exitStatus())
          .isEqualTo(128 + 15);
    }
  }

  @Test
  void execFeedsStandardInputToItsEnd() {
    try (SshSession session = connect()) {
      byte[] input = "line one\nline two\n".repeat(10_000).getBytes();
      ExecResult result = session.exec("wc -c; true", input, Duration.ofSeconds(10));
      assertThat(result.stdout().strip()).isEqualTo(Integer.toString(input.length));
      assertThat(session.exec("cat", Duration.ofSeconds(10)).stdout()).isEmpty();
    }
  }

  @Test
  void moreCommandsAtOnceThanSshdAllowsSessionsWaitTheirTurn() throws Exception {
    // OpenSSH allows 10 session channels per connection (MaxSessions); 16 commands must all run.
    try (SshSession session = connect()) {
      List<Thread> threads = new ArrayList<>();
      List<String> outputs = java.util.Collections.synchronizedList(new ArrayList<>());
      for (int i = 0; i < 16; i++) {
        int n = i;
        threads.add(
            Thread.ofVirtual()
                .start(
                    () ->
                        outputs.add(
                            session
                                .exec("sleep 0.2; echo " + n, Duration.ofSeconds(10))
                                .stdout())));
      }
      for (Thread thread : threads) {
        thread.join();
      }
      assertThat(outputs)
          .containsExactlyInAnyOrderElementsOf(
              java.util.stream.IntStream.range(0, 16).mapToObj(n -> n + "\n").toList());
    }
  }

  @Test
  void commandThatRunsTooLongTimesOut() {
    try (SshSession session = connect()) {
      long start = System.nanoTime();
      assertFails(
          () -> session.exec("sleep 30", Duration.ofMillis(500)),
          Reason.COMMAND_TIMEOUT,
          "`sleep 30`",
          "did not finish within 0.5 s");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
      assertThat(session.exec("echo still usable", Duration.ofSeconds(10)).stdout())
          .isEqualTo("still usable\n");
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"id_ed25519_protected", "id_rsa_pem_protected", "id_ecdsa_pkcs8_protected"})
  void keyWithPassphraseIsRefusedClearly(String keyFile) {
    Path key = dir.resolve(keyFile);
    assertFails(
        () -> connector.connect(sshd.target(USER, key), policy),
        Reason.KEY_PROTECTED,
        "the key " + key + " is protected by a passphrase; Bosun needs a key without one");
  }

  @Test
  void missingOrUnusableKeyFileIsReportedBeforeConnecting() throws IOException {
    Path missing = dir.resolve("no-such-key");
    assertFails(
        () -> connector.connect(sshd.target(USER, missing), policy),
        Reason.KEY_UNREADABLE,
        "the key file " + missing + " does not exist");

    Path publicKey = Path.of(keys.ed25519() + ".pub");
    assertFails(
        () -> connector.connect(sshd.target(USER, publicKey), policy),
        Reason.KEY_UNREADABLE,
        publicKey.toString(),
        "ed25519, RSA or ECDSA private key");

    Path garbage = Files.writeString(dir.resolve("garbage-key"), "not a key\n");
    assertFails(
        () -> connector.connect(sshd.target(USER, garbage), policy),
        Reason.KEY_UNREADABLE,
        garbage.toString());
  }

  @Test
  void keyTheHostDoesNotKnowIsRefused() {
    assertFails(
        () -> connector.connect(sshd.target(USER, keys.stranger()), policy),
        Reason.AUTH_FAILED,
        "the host 127.0.0.1:" + sshd.port() + " refused the key " + keys.stranger(),
        "for user " + USER);
  }

  @Test
  void closedPortIsUnreachableAtOnce() {
    int closed = SshTestServer.freePort("127.0.0.1");
    long start = System.nanoTime();
    assertFails(
        () -> connector.connect(SshTarget.of("127.0.0.1", closed, USER, keys.ed25519()), policy),
        Reason.UNREACHABLE,
        "nothing is listening on 127.0.0.1:" + closed + " (connection refused)");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
  }

  @Test
  void serverThatNeverSpeaksSshTimesOut() throws IOException {
    try (ServerSocket silent = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
      List<Socket> accepted = new ArrayList<>();
      Thread acceptor =
          Thread.ofVirtual()
              .start(
                  () -> {
                    try {
                      while (true) {
                        accepted.add(silent.accept());
                      }
                    } catch (IOException e) {
                      // closed by the test
                    }
                  });
      SshTarget target =
          SshTarget.of("127.0.0.1", silent.getLocalPort(), USER, keys.ed25519())
              .withConnectTimeout(Duration.ofSeconds(1));
      long start = System.nanoTime();
      assertFails(
          () -> connector.connect(target, policy),
          Reason.TIMEOUT,
          "127.0.0.1:" + silent.getLocalPort() + " did not complete the SSH handshake within 1 s");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
      acceptor.interrupt();
    }
  }

  @Test
  void hostThatDropsConnectionAttemptsTimesOut() throws IOException {
    // A listener whose accept queue is full: Linux drops further SYNs, as a firewall would.
    try (ServerSocket full = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      List<Socket> queued = new ArrayList<>();
      try {
        for (int i = 0; i < 3; i++) {
          Socket socket = new Socket();
          socket.connect(full.getLocalSocketAddress(), 300);
          queued.add(socket);
        }
      } catch (IOException expected) {
        // the queue is full already
      }
      SshTarget target =
          SshTarget.of("127.0.0.1", full.getLocalPort(), USER, keys.ed25519())
              .withConnectTimeout(Duration.ofSeconds(1));
      long start = System.nanoTime();
      assertThatThrownBy(() -> connector.connect(target, policy))
          .isInstanceOfSatisfying(
              SshException.class,
              e -> {
                assertThat(e.reason()).as(e.getMessage()).isEqualTo(Reason.TIMEOUT);
                assertThat(e.getMessage())
                    .startsWith("127.0.0.1:" + full.getLocalPort() + " did not");
                assertThat(e.getMessage()).contains("within 1 s");
              });
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
      for (Socket socket : queued) {
        socket.close();
      }
    }
  }

  @Test
  void serverThatHangsUpIsReported() throws IOException {
    try (ServerSocket rude = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
      Thread.ofVirtual()
          .start(
              () -> {
                try {
                  while (true) {
                    rude.accept().close();
                  }
                } catch (IOException e) {
                  // closed by the test
                }
              });
      assertFails(
          () ->
              connector.connect(
                  SshTarget.of("127.0.0.1", rude.getLocalPort(), USER, keys.ed25519()), policy),
          Reason.UNREACHABLE,
          "127.0.0.1:" + rude.getLocalPort() + " closed the connection before the SSH handshake");
    }
  }

  static SshSession connect() {
    return connector.connect(sshd.target(USER, keys.ed25519()), policy);
  }

  static void assertFails(ThrowingCallable call, Reason reason, String... messageParts) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            SshException.class,
            e -> {
              assertThat(e.reason()).as(e.getMessage()).isEqualTo(reason);
              if (messageParts.length > 0) {
                assertThat(e.getMessage()).contains(messageParts);
              }
            });
  }
}
