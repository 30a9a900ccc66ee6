package dev.bosun.agent.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bosun.agent.docker.FakeDockerSocket.Answer;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client's HTTP/1.1 and Engine API handling against {@link FakeDockerSocket}: what it sends,
 * how it reads each kind of body, and how failures read. Needs no Docker and no root.
 */
class DockerProtocolTest {
  @TempDir Path dir;
  private FakeDockerSocket fake;
  private DockerClient docker;

  @BeforeEach
  void up() throws Exception {
    fake = new FakeDockerSocket(dir);
    docker = new DockerClient(fake.socket(), Duration.ofSeconds(5));
  }

  @AfterEach
  void down() throws Exception {
    fake.close();
  }

  @Test
  void sendsVersionedRequestsWithJsonBodies() throws Exception {
    fake.answer(Answer.json(201, "{\"Id\":\"abc123\",\"Warnings\":[\"a warning\"]}"));
    String id =
        docker.createContainer(
            ContainerSpec.builder("img:1").name("job-1").command("echo", "hi").build());
    assertThat(id).isEqualTo("abc123");
    FakeDockerSocket.Request request = fake.requests().getFirst();
    assertThat(request.line()).isEqualTo("POST /v1.41/containers/create?name=job-1 HTTP/1.1");
    assertThat(request.headers())
        .containsEntry("content-type", "application/json")
        .containsEntry("connection", "close")
        .containsEntry(
            "content-length",
            String.valueOf(request.body().getBytes(StandardCharsets.UTF_8).length));
    JsonNode body = new ObjectMapper().readTree(request.body());
    assertThat(body.path("Image").asText()).isEqualTo("img:1");
    assertThat(body.path("HostConfig").path("Init").asBoolean()).isTrue();
  }

  @Test
  void readsContentLengthChunkedAndUntilCloseBodies() {
    fake.answer(Answer.of("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nOKtrailing garbage"));
    docker.ping();
    fake.answer(
        Answer.inPieces(
            20,
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n",
            "b;ext=1\r\n{\"Stat", // a chunk cut in two writes
            "usCod\r\n",
            "e\r\ne\": 7, \"Error\"\r\n",
            "7\r\n: null}\r\n0\r\nX-Trailer: y\r\n\r\n"));
    assertThat(docker.waitContainer("c1")).isEqualTo(7);
    fake.answer(
        Answer.of("HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n\r\n{\"StatusCode\": 9}"));
    assertThat(docker.waitContainer("c1")).isEqualTo(9);
    assertThat(fake.requests().get(1).line())
        .isEqualTo("POST /v1.41/containers/c1/wait?condition=not-running HTTP/1.1");
  }

  @Test
  void demultiplexesLogFramesSplitAnywhere() {
    fake.answer(Answer.json(200, "{\"Id\":\"c1\",\"Config\":{\"Tty\":false}}"));
    ByteArrayOutputStream frames = new ByteArrayOutputStream();
    frame(frames, 1, "out-1\n");
    frame(frames, 2, "err-1\n");
    frame(frames, 1, "x".repeat(70_000)); // larger than the reader's buffer
    frame(frames, 3, "docker's own error\n");
    byte[] bytes = frames.toByteArray();
    List<byte[]> pieces = new ArrayList<>();
    pieces.add(
        "HTTP/1.1 200 OK\r\nContent-Type: application/vnd.docker.raw-stream\r\nTransfer-Encoding: chunked\r\n\r\n"
            .getBytes(StandardCharsets.ISO_8859_1));
    for (int start = 0;
        start < bytes.length;
        start += 5) { // chunks cut through headers and payloads
      int end = Math.min(bytes.length, start + (start < 40 ? 5 : 9_000));
      pieces.add((Integer.toHexString(end - start) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
      pieces.add(java.util.Arrays.copyOfRange(bytes, start, end));
      pieces.add("\r\n".getBytes(StandardCharsets.ISO_8859_1));
      start = end - 5;
    }
    pieces.add("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
    fake.answer(Answer.inPieces(0, pieces));

    ContainerRun.Output output = ContainerRun.Output.of(docker, "c1", LogOptions.following());
    assertThat(output.stdout()).isEqualTo("out-1\n" + "x".repeat(70_000));
    assertThat(output.stderr()).isEqualTo("err-1\ndocker's own error\n");
    assertThat(fake.requests().get(1).line())
        .isEqualTo(
            "GET /v1.41/containers/c1/logs?stdout=true&stderr=true&follow=true&timestamps=false HTTP/1.1");
  }

  @Test
  void dockersErrorMessageBecomesTheExceptions() {
    fake.answer(Answer.json(404, "{\"message\":\"No such container: nope\"}"));
    assertThatThrownBy(() -> docker.inspectContainer("nope"))
        .isInstanceOfSatisfying(
            DockerException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(DockerException.Kind.REJECTED);
              assertThat(e.status()).isEqualTo(404);
              assertThat(e.isNotFound()).isTrue();
            })
        .hasMessage("No such container: nope");
    fake.answer(Answer.of("HTTP/1.1 500 Internal Server Error\r\nContent-Length: 5\r\n\r\noops\n"));
    assertThatThrownBy(() -> docker.ping()).hasMessage("oops");
    fake.answer(Answer.of("garbage\r\n\r\n"));
    assertThatThrownBy(() -> docker.ping())
        .isInstanceOfSatisfying(
            DockerException.class,
            e -> assertThat(e.kind()).isEqualTo(DockerException.Kind.PROTOCOL))
        .hasMessageContaining("not an HTTP answer");
  }

  @Test
  void aPullStreamsProgressAndFailsOnItsErrorDetail() {
    fake.answer(
        Answer.inPieces(
            10,
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n",
            chunk("{\"status\":\"Pulling from team/app\",\"id\":\"1\"}\r\n"),
            chunk(
                "{\"status\":\"Downloading\",\"progressDetail\":{\"current\":512,\"total\":4096},\"progress\":\"[=>  ]\",\"id\":\"a1b2\"}\r\n"),
            chunk(
                "{\"errorDetail\":{\"message\":\"unexpected EOF\"},\"error\":\"unexpected EOF\"}\r\n"),
            "0\r\n\r\n"));
    List<PullProgress> events = new ArrayList<>();
    assertThatThrownBy(
            () ->
                docker.pullImage(
                    "reg:5000/team/app:1",
                    new RegistryAuth("u", "p", "reg:5000"),
                    Duration.ofSeconds(5),
                    events::add))
        .isInstanceOfSatisfying(
            DockerException.class, e -> assertThat(e.kind()).isEqualTo(DockerException.Kind.FAILED))
        .hasMessage("cannot pull reg:5000/team/app:1: unexpected EOF");
    assertThat(events)
        .containsExactly(
            new PullProgress("Pulling from team/app", "1", 0, 0),
            new PullProgress("Downloading", "a1b2", 512, 4096));
    FakeDockerSocket.Request request = fake.requests().getFirst();
    assertThat(request.line())
        .isEqualTo("POST /v1.41/images/create?fromImage=reg%3A5000%2Fteam%2Fapp&tag=1 HTTP/1.1");
    String auth =
        new String(
            java.util.Base64.getUrlDecoder().decode(request.headers().get("x-registry-auth")),
            StandardCharsets.UTF_8);
    assertThat(auth)
        .isEqualTo("{\"username\":\"u\",\"password\":\"p\",\"serveraddress\":\"reg:5000\"}");
  }

  @Test
  void aCallEndsAtItsDeadline() {
    fake.answer(Answer.never());
    DockerClient impatient = new DockerClient(fake.socket(), Duration.ofMillis(300));
    long started = System.nanoTime();
    assertThatThrownBy(impatient::ping)
        .isInstanceOfSatisfying(
            DockerException.class,
            e -> assertThat(e.kind()).isEqualTo(DockerException.Kind.TIMEOUT))
        .hasMessage(
            "Docker at " + impatient.endpoint() + " did not answer GET /v1.41/_ping within 300 ms");
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
  }

  @Test
  void aWaitEndsWhenItsThreadIsInterrupted() throws Exception {
    fake.answer(Answer.never());
    CompletableFuture<Throwable> failure = new CompletableFuture<>();
    Thread waiter =
        Thread.ofVirtual()
            .start(
                () -> {
                  try {
                    docker.waitContainer("c1");
                    failure.complete(null);
                  } catch (Throwable e) {
                    failure.complete(e);
                  }
                });
    while (fake.requests().isEmpty()) {
      Thread.sleep(10);
    }
    waiter.interrupt();
    assertThat(failure.get(5, TimeUnit.SECONDS))
        .isInstanceOfSatisfying(
            DockerException.class,
            e -> assertThat(e.kind()).isEqualTo(DockerException.Kind.INTERRUPTED));
  }

  @Test
  void aMissingOrDeadSocketSaysSo() throws Exception {
    Path missing = dir.resolve("nothing-here.sock");
    assertThatThrownBy(() -> new DockerClient(missing).ping())
        .isInstanceOfSatisfying(
            DockerException.class,
            e -> assertThat(e.kind()).isEqualTo(DockerException.Kind.UNREACHABLE))
        .hasMessageStartingWith("cannot reach Docker at unix://" + missing + ": ")
        .hasMessageEndingWith("; is dockerd running?");
    fake.close(); // the socket file stays behind a dead daemon: leave one there
    Path stale = dir.resolve("stale.sock");
    try (var channel =
        java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
      channel.bind(java.net.UnixDomainSocketAddress.of(stale));
    }
    assertThat(stale).exists();
    assertThatThrownBy(() -> new DockerClient(stale).ping())
        .hasMessageStartingWith("cannot reach Docker at unix://" + stale + ": Connection refused");
  }

  @Test
  void dockerHostNamesAUnixSocket() {
    assertThat(DockerClient.socket(null)).isEqualTo(Path.of("/var/run/docker.sock"));
    assertThat(DockerClient.socket("")).isEqualTo(Path.of("/var/run/docker.sock"));
    assertThat(DockerClient.socket("unix:///run/user/1000/docker.sock"))
        .isEqualTo(Path.of("/run/user/1000/docker.sock"));
    assertThatThrownBy(() -> DockerClient.socket("tcp://10.0.0.1:2375"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unix:///path");
  }

  @Test
  void importsATarFileAsTheRequestBody() throws Exception {
    Path tar = Files.write(dir.resolve("r.tar"), "tar bytes".getBytes(StandardCharsets.UTF_8));
    fake.answer(Answer.json(200, "{\"status\":\"sha256:feed\"}"));
    assertThat(docker.importImage(tar, "bosun-test/x:2")).isEqualTo("sha256:feed");
    FakeDockerSocket.Request request = fake.requests().getFirst();
    assertThat(request.line())
        .isEqualTo("POST /v1.41/images/create?fromSrc=-&repo=bosun-test%2Fx&tag=2 HTTP/1.1");
    assertThat(request.headers()).containsEntry("content-type", "application/x-tar");
    assertThat(request.body()).isEqualTo("tar bytes");
  }

  private static String chunk(String data) {
    return Integer.toHexString(data.getBytes(StandardCharsets.UTF_8).length)
        + "\r\n"
        + data
        + "\r\n";
  }

  private static void frame(ByteArrayOutputStream out, int stream, String text) {
    byte[] payload = text.getBytes(StandardCharsets.UTF_8);
    out.writeBytes(
        new byte[] {
          (byte) stream,
          0,
          0,
          0,
          (byte) (payload.length >>> 24),
          (byte) (payload.length >>> 16),
          (byte) (payload.length >>> 8),
          (byte) payload.length
        });
    out.writeBytes(payload);
  }
}
