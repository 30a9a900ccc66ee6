package dev.bosun.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * WebSockets through the server's proxy, with the real CLI, server and agent on the local fleet and
 * a WebSocket server the test ships as the replica ({@code replicas/WsEcho.java}, a single-file
 * Java program): the upgrade needs a token, messages and the close pass both ways, the replica's
 * subprotocol reaches the caller, and a service's host name takes WebSockets too; a chunked upload
 * reaches the replica whole.
 */
class ServiceSocketsIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final String DOMAIN = "svc.bosun.test";
  private final HttpClient http = HttpClient.newHttpClient();
  private BosunHarness bosun;
  private Path www;

  @BeforeEach
  void start() throws Exception {
    bosun = new BosunHarness().withEnv("BOSUN_SERVICES_DOMAIN", DOMAIN);
    www = Files.createTempDirectory("bosun-service-ws-");
  }

  @AfterEach
  void stop() throws Exception {
    bosun.close();
  }

  @Test
  void webSocketsPassThroughTheProxyBothWays() throws Exception {
    // The replica is a small WebSocket server the test ships (a single-file Java program).
    Path program = www.resolve("WsEcho.java");
    try (InputStream source = getClass().getResourceAsStream("/replicas/WsEcho.java")) {
      Files.copy(source, program);
    }
    String jvm = ProcessHandle.current().info().command().orElseThrow();
    int port = ServiceProxyIT.freePort();
    Path file =
        bosun.file(
            "socket.bosun.yml",
            "type: service\nname: socket\nport: "
                + port
                + "\nresources: {cpu: 1, memory: 0.5GB}\ncommands:\n  - exec "
                + jvm
                + " "
                + program
                + " "
                + port
                + " replica-$BOSUN_REPLICA_NUM\n");
    BosunHarness.Result apply = bosun.run("apply", "-y", "-d", "-f", file.toString());
    assertThat(apply.code()).as(apply.toString()).isZero();
    URI uri =
        URI.create(
            bosun.serverUrl().replace("http://", "ws://") + "/proxy/services/main/socket/chat");

    java.util.concurrent.CompletionException refused =
        org.junit.jupiter.api.Assertions.assertThrows(
            java.util.concurrent.CompletionException.class,
            () ->
                http.newWebSocketBuilder()
                    .buildAsync(uri, new java.net.http.WebSocket.Listener() {})
                    .join());
    assertThat(refused.getCause())
        .isInstanceOfSatisfying(
            java.net.http.WebSocketHandshakeException.class,
            e -> assertThat(e.getResponse().statusCode()).isEqualTo(401));

    java.util.concurrent.BlockingQueue<String> received =
        new java.util.concurrent.LinkedBlockingQueue<>();
    java.net.http.WebSocket socket =
        http.newWebSocketBuilder()
            .header("Authorization", "Bearer " + bosun.adminToken())
            .subprotocols("chat.v1", "chat.v2")
            .buildAsync(
                uri,
                new java.net.http.WebSocket.Listener() {
                  @Override
                  public java.util.concurrent.CompletionStage<?> onText(
                      java.net.http.WebSocket ws, CharSequence data, boolean last) {
                    received.add("text " + data);
                    ws.request(1);
                    return null;
                  }

                  @Override
                  public java.util.concurrent.CompletionStage<?> onBinary(
                      java.net.http.WebSocket ws, java.nio.ByteBuffer data, boolean last) {
                    received.add("binary " + StandardCharsets.UTF_8.decode(data));
                    ws.request(1);
                    return null;
                  }

                  @Override
                  public java.util.concurrent.CompletionStage<?> onClose(
                      java.net.http.WebSocket ws, int status, String reason) {
                    received.add("close " + status);
                    return null;
                  }
                })
            .get(90, java.util.concurrent.TimeUnit.SECONDS); // waits for the replica to be ready
    assertThat(socket.getSubprotocol()).isEqualTo("chat.v2"); // the replica's choice
    socket.sendText("hello", true).join();
    assertThat(received.poll(30, java.util.concurrent.TimeUnit.SECONDS))
        .isEqualTo("text replica-0: hello");
    socket
        .sendBinary(java.nio.ByteBuffer.wrap("bytes".getBytes(StandardCharsets.UTF_8)), true)
        .join();
    socket.sendText("again", true).join();
    assertThat(received.poll(30, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("binary bytes");
    assertThat(received.poll(30, java.util.concurrent.TimeUnit.SECONDS))
        .isEqualTo("text replica-0: again");
    socket.sendClose(1000, "bye").join();
    assertThat(received.poll(30, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("close 1000");

    // The service's host name takes WebSockets too (a handshake written by hand: the JDK's client
    // does not let one set Host).
    assertThat(hostSocket("socket.main." + DOMAIN, "/chat", "hi")).isEqualTo("replica-0: hi");

    // A plain request whose body is of unknown length (chunked, as a streaming upload is) reaches
    // the replica whole, still chunked.
    byte[] upload = new byte[3 << 20];
    new java.util.Random(7).nextBytes(upload);
    java.net.http.HttpResponse<String> uploaded =
        http.send(
            java.net.http.HttpRequest.newBuilder(
                    URI.create(bosun.serverUrl() + "/proxy/services/main/socket/upload"))
                .header("Authorization", "Bearer " + bosun.adminToken())
                .POST(
                    java.net.http.HttpRequest.BodyPublishers.ofInputStream(
                        () -> new java.io.ByteArrayInputStream(upload)))
                .build(),
            java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(uploaded.statusCode()).as(uploaded.body()).isEqualTo(200);
    assertThat(uploaded.body())
        .isEqualTo(
            "replica-0 read "
                + upload.length
                + " bytes, chunked, sha256 "
                + java.util.HexFormat.of()
                    .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(upload))
                + "\n");
  }

  /** Opens a WebSocket to {@code host}, sends {@code text} and returns the first text answer. */
  private String hostSocket(String host, String path, String text) throws Exception {
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", bosun.port)) {
      socket.setSoTimeout((int) TIMEOUT.toMillis());
      var out = socket.getOutputStream();
      var in = new java.io.DataInputStream(socket.getInputStream());
      out.write(
          ("GET "
                  + path
                  + " HTTP/1.1\r\nHost: "
                  + host
                  + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                  + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                  + "Authorization: Bearer "
                  + bosun.adminToken()
                  + "\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      StringBuilder head = new StringBuilder();
      while (!head.toString().endsWith("\r\n\r\n")) {
        head.append((char) in.readUnsignedByte());
      }
      assertThat(head.toString()).startsWith("HTTP/1.1 101");
      byte[] payload = text.getBytes(StandardCharsets.UTF_8);
      byte[] mask = {1, 2, 3, 4};
      out.write(new byte[] {(byte) 0x81, (byte) (0x80 | payload.length)});
      out.write(mask);
      for (int i = 0; i < payload.length; i++) {
        out.write(payload[i] ^ mask[i % 4]);
      }
      out.flush();
      assertThat(in.readUnsignedByte()).isEqualTo(0x81); // a whole text frame
      byte[] answer = new byte[in.readUnsignedByte()];
      in.readFully(answer);
      return new String(answer, StandardCharsets.UTF_8);
    }
  }

  @Test
  void aReplicaThatRefusesTheUpgradeIsAnHttpErrorThatSaysSo() throws Exception {
    int port = ServiceProxyIT.freePort();
    Files.writeString(www.resolve("index.html"), "plain HTTP only\n");
    Path file =
        bosun.file(
            "plain.bosun.yml",
            "type: service\nname: plain\nport: "
                + port
                + "\nresources: {cpu: 1, memory: 0.2GB}\ncommands:\n  - exec busybox httpd -f -p"
                + " 127.0.0.1:"
                + port
                + " -h "
                + www
                + "\n");
    BosunHarness.Result apply = bosun.run("apply", "-y", "-d", "-f", file.toString());
    assertThat(apply.code()).as(apply.toString()).isZero();
    java.util.concurrent.CompletionException refused =
        org.junit.jupiter.api.Assertions.assertThrows(
            java.util.concurrent.CompletionException.class,
            () ->
                http.newWebSocketBuilder()
                    .header("Authorization", "Bearer " + bosun.adminToken())
                    .buildAsync(
                        URI.create(
                            bosun.serverUrl().replace("http://", "ws://")
                                + "/proxy/services/main/plain/"),
                        new java.net.http.WebSocket.Listener() {})
                    .join());
    assertThat(refused.getCause())
        .isInstanceOfSatisfying(
            java.net.http.WebSocketHandshakeException.class,
            e -> {
              assertThat(e.getResponse().statusCode()).isBetween(500, 599);
              assertThat(String.valueOf(e.getResponse().body()))
                  .contains("replica 0 of service plain refused the WebSocket");
            });
  }
}
