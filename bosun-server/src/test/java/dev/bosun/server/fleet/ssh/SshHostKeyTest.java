package dev.bosun.server.fleet.ssh;

import static dev.bosun.server.fleet.ssh.SshConnectTest.USER;
import static dev.bosun.server.fleet.ssh.SshConnectTest.assertFails;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bosun.server.fleet.ssh.SshException.Reason;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Host keys: trusted on first use and enforced afterwards, or checked against known_hosts. */
class SshHostKeyTest {
  @TempDir static Path keysDir;
  static TestKeys keys;
  static SshConnector connector;

  @TempDir Path dir;
  SshTestServer sshd;

  @BeforeAll
  static void makeKeys() {
    keys = TestKeys.generate(keysDir);
    connector = new SshConnector();
  }

  @AfterAll
  static void closeConnector() {
    if (connector != null) {
      connector.close();
    }
  }

  @AfterEach
  void stopServer() {
    if (sshd != null) {
      sshd.close();
    }
  }

  SshTestServer startServer(List<String> hostKeyTypes) {
    sshd = SshTestServer.start(dir.resolve("sshd"), "127.0.0.1", hostKeyTypes);
    sshd.authorize(keys.ed25519());
    return sshd;
  }

  String run(HostKeyPolicy policy) {
    try (SshSession session = connector.connect(sshd.target(USER, keys.ed25519()), policy)) {
      return session.exec("echo ok", Duration.ofSeconds(10)).stdout();
    }
  }

  @Test
  void firstKeyIsRecordedThenAChangedKeyIsRefused() {
    startServer(List.of("ed25519"));
    FileHostKeyStore store = new FileHostKeyStore(dir.resolve("fleet-host-keys"));
    HostKeyPolicy policy = HostKeyPolicy.trustOnFirstUse(store);
    HostKey original = sshd.hostKey("ed25519");

    assertThat(run(policy)).isEqualTo("ok\n");
    assertThat(store.known("127.0.0.1", sshd.port())).contains(original);
    assertThat(run(policy)).isEqualTo("ok\n");

    sshd.restartWithNewHostKeys();
    HostKey replaced = sshd.hostKey("ed25519");
    assertFails(
        () -> run(policy),
        Reason.HOST_KEY_CHANGED,
        "the host key of 127.0.0.1:" + sshd.port() + " has changed",
        original.fingerprint(),
        replaced.fingerprint(),
        "remove it from the fleet and add it again (or reset its host key)");
    assertThat(store.known("127.0.0.1", sshd.port())).contains(original);

    store.forget("127.0.0.1", sshd.port());
    assertThat(run(policy)).isEqualTo("ok\n");
    assertThat(store.known("127.0.0.1", sshd.port())).contains(replaced);
  }

  @Test
  void keyIsNotRecordedWhenAuthenticationFails() {
    startServer(List.of("ed25519"));
    FileHostKeyStore store = new FileHostKeyStore(dir.resolve("fleet-host-keys"));
    assertFails(
        () ->
            connector.connect(
                sshd.target(USER, keys.stranger()), HostKeyPolicy.trustOnFirstUse(store)),
        Reason.AUTH_FAILED);
    assertThat(store.known("127.0.0.1", sshd.port())).isEmpty();
  }

  @Test
  void knownHostsFileIsHonouredPlainOrHashed() throws IOException {
    startServer(List.of("ed25519"));
    FileHostKeyStore store = new FileHostKeyStore(dir.resolve("fleet-host-keys"));
    for (String hashed : List.of("", "-H")) {
      Path knownHosts = keyscan(hashed, "ed25519");
      assertThat(run(HostKeyPolicy.trustOnFirstUse(store).withKnownHosts(knownHosts)))
          .isEqualTo("ok\n");
    }
    assertThat(store.known("127.0.0.1", sshd.port()))
        .as("known_hosts hosts are not recorded")
        .isEmpty();

    HostKey listed = sshd.hostKey("ed25519");
    Path knownHosts = keyscan("", "ed25519");
    sshd.restartWithNewHostKeys();
    assertFails(
        () -> run(HostKeyPolicy.trustOnFirstUse(store).withKnownHosts(knownHosts)),
        Reason.HOST_KEY_CHANGED,
        "the host key of 127.0.0.1:" + sshd.port() + " has changed: " + knownHosts,
        listed.fingerprint(),
        sshd.hostKey("ed25519").fingerprint(),
        "ssh-keygen -R '[127.0.0.1]:" + sshd.port() + "'");
  }

  @Test
  void hostWithSeveralKeysIsAskedForTheKindItIsKnownBy() {
    startServer(List.of("ed25519", "ecdsa", "rsa"));
    // known_hosts lists only the RSA key: the host must be asked for that one.
    Path knownHosts = keyscan("", "rsa");
    FileHostKeyStore empty = new FileHostKeyStore(dir.resolve("empty"));
    try (SshSession session =
        connector.connect(
            sshd.target(USER, keys.ed25519()),
            HostKeyPolicy.trustOnFirstUse(empty).withKnownHosts(knownHosts))) {
      assertThat(session.hostKey()).isEqualTo(sshd.hostKey("rsa"));
    }
    // The store recorded the ECDSA key: the host must present that one again.
    FileHostKeyStore store = new FileHostKeyStore(dir.resolve("fleet-host-keys"));
    store.remember("127.0.0.1", sshd.port(), sshd.hostKey("ecdsa"));
    try (SshSession session =
        connector.connect(
            sshd.target(USER, keys.ed25519()), HostKeyPolicy.trustOnFirstUse(store))) {
      assertThat(session.hostKey()).isEqualTo(sshd.hostKey("ecdsa"));
    }
  }

  @Test
  void newHostsAreRefusedWhenThePolicySaysSo() {
    startServer(List.of("ed25519"));
    FileHostKeyStore store = new FileHostKeyStore(dir.resolve("fleet-host-keys"));
    assertFails(
        () -> run(HostKeyPolicy.trustOnFirstUse(store).refusingNewHosts()),
        Reason.HOST_KEY_UNKNOWN,
        "the host key of 127.0.0.1:" + sshd.port(),
        sshd.hostKey("ed25519").fingerprint());
    assertThat(store.known("127.0.0.1", sshd.port())).isEmpty();
  }

  @Test
  void storeFileKeepsOneKeyPerHostAndPort() {
    FileHostKeyStore store = new FileHostKeyStore(dir.resolve("sub/known"));
    HostKey a = new HostKey(read(keys.ed25519() + ".pub"));
    HostKey b = new HostKey(read(keys.ecdsa() + ".pub"));
    store.remember("host-a", 22, a);
    store.remember("host-a", 2222, b);
    store.remember("host-b", 22, a);
    store.remember("host-b", 22, b);
    FileHostKeyStore reopened = new FileHostKeyStore(dir.resolve("sub/known"));
    assertThat(reopened.known("host-a", 22)).contains(a);
    assertThat(reopened.known("host-a", 2222)).contains(b);
    assertThat(reopened.known("host-b", 22)).contains(b);
    assertThat(reopened.known("host-c", 22)).isEmpty();
    assertThat(read(dir.resolve("sub/known").toString()))
        .contains("host-a " + a.openSsh(), "[host-a]:2222 " + b.openSsh());
    assertThat(a.fingerprint()).startsWith("SHA256:").doesNotEndWith("=");
  }

  private Path keyscan(String hashed, String type) {
    List<String> command =
        new java.util.ArrayList<>(
            List.of("ssh-keyscan", "-t", type, "-p", Integer.toString(sshd.port())));
    if (!hashed.isEmpty()) {
      command.add(hashed);
    }
    command.add("127.0.0.1");
    String lines = SshTestServer.run(command.toArray(String[]::new));
    try {
      return Files.writeString(
          Files.createTempFile(dir, "known_hosts", ""),
          lines.lines().filter(line -> !line.startsWith("#")).reduce("", (a, b) -> a + b + "\n"));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static String read(String file) {
    try {
      return Files.readString(Path.of(file));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
