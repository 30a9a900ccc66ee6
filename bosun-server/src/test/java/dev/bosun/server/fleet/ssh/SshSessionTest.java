package dev.bosun.server.fleet.ssh;

import static dev.bosun.server.fleet.ssh.SshConnectTest.USER;
import static dev.bosun.server.fleet.ssh.SshConnectTest.assertFails;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.bosun.server.fleet.ssh.SshException.Reason;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An open session: uploads, port forwards, and noticing at once when the host goes away. */
class SshSessionTest {
  @TempDir static Path keysDir;
  static TestKeys keys;

  @TempDir Path dir;
  SshTestServer sshd;
  SshConnector connector;
  SshSession session;

  @BeforeAll
  static void makeKeys() {
    keys = TestKeys.generate(keysDir);
  }

  @BeforeEach
  void connect() {
    sshd = SshTestServer.start(dir.resolve("sshd"), "127.0.0.1");
    sshd.authorize(keys.ed25519());
    connector = new SshConnector();
    session =
        connector.connect(
            sshd.target(USER, keys.ed25519()),
            HostKeyPolicy.trustOnFirstUse(new FileHostKeyStore(dir.resolve("host-keys"))));
  }

  @AfterEach
  void disconnect() {
    session.close();
    connector.close();
    sshd.close();
  }

  @Test
  void uploadsAThirtyMegabyteFileWhole() throws Exception {
    byte[] content = new byte[30 << 20];
    new Random(42).nextBytes(content);
    Path local = Files.write(dir.resolve("agent.jar"), content);
    String remote = dir.resolve("remote dir/it's here/agent.jar").toString();

    long start = System.nanoTime();
    session.upload(local, remote, 0755);
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    System.out.printf("ssh upload of 30 MB: %d ms%n", millis);

    String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    ExecResult check =
        session.exec(
            "sha256sum < " + Shell.quote(remote) + "; stat -c %a " + Shell.quote(remote),
            Duration.ofSeconds(30));
    assertThat(check.stdout()).isEqualTo(sha256 + "  -\n755\n");
    assertThat(Path.of(remote + ".bosun-part")).doesNotExist();
    assertThat(millis).isLessThan(20_000);
  }

  @Test
  void uploadThatFailsOnTheHostSaysWhy() throws IOException {
    Path local = Files.writeString(dir.resolve("small"), "x");
    Path blocker = Files.writeString(dir.resolve("not-a-directory"), "");
    assertFails(
        () -> session.upload(local, blocker + "/agent.jar", 0644),
        Reason.COMMAND_FAILED,
        "cannot upload small to 127.0.0.1:" + sshd.port() + ":" + blocker + "/agent.jar",
        "cannot create directory");
  }

  @Test
  void forwardsALocalPortToALoopbackServiceOnTheHost() throws Exception {
    HttpServer web =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    web.createContext(
        "/",
        exchange -> {
          byte[] body = ("agent says hi to " + exchange.getRequestURI()).getBytes();
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    web.start();
    try (LocalForward forward = session.forward(web.getAddress().getPort());
        HttpClient http = HttpClient.newHttpClient()) {
      assertThat(forward.localPort()).isNotEqualTo(web.getAddress().getPort());
      for (int i = 0; i < 3; i++) {
        HttpResponse<String> response =
            http.send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + forward.localPort() + "/api/" + i))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.body()).isEqualTo("agent says hi to /api/" + i);
      }
      assertThat(forward.isOpen()).isTrue();
    } finally {
      web.stop(0);
    }
  }

  @Test
  void forwardToAPortNobodyListensOnClosesTheConnection() throws IOException {
    int closed = SshTestServer.freePort("127.0.0.1");
    try (LocalForward forward = session.forward(closed);
        Socket socket = new Socket("127.0.0.1", forward.localPort())) {
      socket.setSoTimeout(5_000);
      socket.getOutputStream().write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      InputStream in = socket.getInputStream();
      assertThat(readOrReset(in)).isEqualTo(-1);
    }
    assertThat(session.exec("echo alive", Duration.ofSeconds(10)).stdout()).isEqualTo("alive\n");
  }

  @Test
  void killedHostIsNoticedAtOnce() throws InterruptedException {
    CountDownLatch closed = new CountDownLatch(1);
    session.onClosed(closed::countDown);
    long start = System.nanoTime();
    sshd.killAll();
    assertThat(closed.await(10, TimeUnit.SECONDS)).isTrue();
    System.out.printf(
        "ssh session closed %d ms after sshd was killed%n",
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
    assertThat(session.isOpen()).isFalse();
    assertFails(
        () -> session.exec("true", Duration.ofSeconds(5)),
        Reason.DISCONNECTED,
        "the connection to 127.0.0.1:" + sshd.port() + " closed");
    CountDownLatch late = new CountDownLatch(1);
    session.onClosed(late::countDown);
    assertThat(late.await(1, TimeUnit.SECONDS)).as("a listener added after the end runs").isTrue();
  }

  @Test
  void hostThatStopsAnsweringIsDroppedByHeartbeatsWithinTenSeconds() throws InterruptedException {
    CountDownLatch closed = new CountDownLatch(1);
    session.onClosed(closed::countDown);
    long start = System.nanoTime();
    sshd.freezeAll(); // the TCP connection stays up; only heartbeats can tell
    assertThat(closed.await(10, TimeUnit.SECONDS)).isTrue();
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    System.out.printf("ssh session dropped %d ms after the host froze%n", millis);
    assertThat(session.isOpen()).isFalse();
  }

  @Test
  void healthyIdleSessionSurvivesManyHeartbeats() {
    try (SshConnector eager = new SshConnector(Duration.ofMillis(100), 2);
        SshSession idle =
            eager.connect(
                sshd.target(USER, keys.ed25519()),
                HostKeyPolicy.trustOnFirstUse(new FileHostKeyStore(dir.resolve("other-keys"))))) {
      SshTestServer.sleep(2_000); // 20 heartbeats, each must be answered
      assertThat(idle.isOpen()).isTrue();
      assertThat(idle.exec("echo fine", Duration.ofSeconds(10)).stdout()).isEqualTo("fine\n");
    }
  }

  @Test
  void commandCutOffByTheHostGoingAwayIsDisconnected() {
    Thread.ofVirtual()
        .start(
            () -> {
              SshTestServer.sleep(500);
              sshd.killAll();
            });
    assertFails(
        () -> session.exec("sleep 30", Duration.ofSeconds(20)),
        Reason.DISCONNECTED,
        "closed while running `sleep 30`");
  }

  private static int readOrReset(InputStream in) throws IOException {
    try {
      return in.read();
    } catch (java.net.SocketException reset) {
      return -1;
    }
  }
}
