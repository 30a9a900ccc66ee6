package dev.bosun.dist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.bosun.api.BosunClient;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A service of one replica on the local fleet behind the server's proxy, with the real CLI, server,
 * agent and a busybox httpd (static files and CGI scripts) as the replica: requests wait for the
 * replica to start, need a member's token (unless auth: false), bodies pass both ways, a streamed
 * response reaches the client as it is written, and a stopped service says so. Services of several
 * replicas on SSH hosts are tested in ServiceReplicasIT.
 */
class ServiceProxyIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private final HttpClient http = HttpClient.newHttpClient();
  private BosunHarness bosun;
  private Path www;

  @BeforeEach
  void start() throws Exception {
    bosun = new BosunHarness();
    www = Files.createTempDirectory("bosun-service-www-");
    Files.writeString(www.resolve("hello.txt"), "hello through the proxy\n");
    Path cgi = Files.createDirectories(www.resolve("cgi-bin"));
    script(
        cgi.resolve("echo"),
        "#!/bin/sh\nprintf 'Content-Type: text/plain\\r\\n\\r\\n'\n"
            + "echo \"$REQUEST_METHOD $REQUEST_URI\"\ncat\n");
    script(
        cgi.resolve("events"),
        "#!/bin/sh\nprintf 'Content-Type: text/event-stream\\r\\n\\r\\n'\n"
            + "echo 'data: first'; echo\n"
            + "while [ ! -e "
            + www.resolve("go")
            + " ]; do sleep 0.1; done\n"
            + "echo 'data: second'; echo\n");
  }

  private static void script(Path file, String text) throws Exception {
    Files.writeString(file, text);
    file.toFile().setExecutable(true, false);
  }

  @AfterEach
  void stop() throws Exception {
    bosun.close();
  }

  private String service(String name, int port, String extra) throws Exception {
    Path file =
        bosun.file(
            name + ".bosun.yml",
            "type: service\nname: "
                + name
                + "\nport: "
                + port
                + "\nresources: {cpu: 1, memory: 0.2GB}\n"
                + extra
                + "commands:\n  - sleep 1\n  - exec busybox httpd -f -p 127.0.0.1:"
                + port
                + " -h "
                + www
                + "\n");
    BosunHarness.Result apply = bosun.run("apply", "-y", "-d", "-f", file.toString());
    assertThat(apply.code()).as(apply.toString()).isZero();
    String url = bosun.serverUrl() + "/proxy/services/main/" + name;
    assertThat(apply.err()).contains("Service URL: " + url + "/");
    return url;
  }

  private HttpResponse<String> get(String url, String token) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT);
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aServiceIsReachedThroughTheProxyWithAToken() throws Exception {
    String url = service("web", freePort(), "");
    String token = bosun.adminToken();

    // Right after apply the replica is not up yet: the request waits for it.
    HttpResponse<String> hello = get(url + "/hello.txt", token);
    assertThat(hello.statusCode()).as(hello.body()).isEqualTo(200);
    assertThat(hello.body()).isEqualTo("hello through the proxy\n");

    HttpResponse<String> anonymous = get(url + "/hello.txt", null);
    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(anonymous.body()).contains("this call needs a token");
    assertThat(get(url + "/hello.txt", "not-a-token").statusCode()).isEqualTo(401);

    // A body both ways; the prefix is stripped and the query kept.
    String big = "x".repeat(1 << 20);
    HttpResponse<String> echoed =
        http.send(
            HttpRequest.newBuilder(URI.create(url + "/cgi-bin/echo?a=1"))
                .header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofString(big))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(echoed.statusCode()).as(echoed.body()).isEqualTo(200);
    assertThat(echoed.body()).isEqualTo("POST /cgi-bin/echo?a=1\n" + big);

    // Server-sent events: the first event arrives while the replica is still writing.
    HttpResponse<InputStream> events =
        http.send(
            HttpRequest.newBuilder(URI.create(url + "/cgi-bin/events"))
                .header("Authorization", "Bearer " + token)
                .build(),
            HttpResponse.BodyHandlers.ofInputStream());
    assertThat(events.headers().firstValue("content-type")).hasValue("text/event-stream");
    try (BufferedReader lines =
        new BufferedReader(new InputStreamReader(events.body(), StandardCharsets.UTF_8))) {
      assertThat(lines.readLine()).isEqualTo("data: first");
      Files.createFile(www.resolve("go")); // only now does the replica write the second event
      assertThat(lines.readLine()).isEmpty();
      assertThat(lines.readLine()).isEqualTo("data: second");
    }

    BosunClient admin = bosun.client();
    admin.stop("main", "web", true);
    await().atMost(TIMEOUT).until(() -> admin.run("main", "web"), r -> r.finishedAt() != null);
    HttpResponse<String> stopped = get(url + "/hello.txt", token);
    assertThat(stopped.statusCode()).isEqualTo(409);
    assertThat(stopped.body()).contains("service web is terminated");
  }

  @Test
  void authFalseOpensTheServiceAndAutoscalingIsRefusedSoFar() throws Exception {
    String url = service("open", freePort(), "auth: false\n");
    HttpResponse<String> hello = get(url + "/hello.txt", null);
    assertThat(hello.statusCode()).as(hello.body()).isEqualTo(200);
    assertThat(get(bosun.serverUrl() + "/proxy/services/main/nothing/x", null).statusCode())
        .isEqualTo(404);

    // A fixed number of replicas and probes run (ServiceReplicasIT); a range of replicas not yet.
    Path scaled =
        bosun.file(
            "scaled.bosun.yml",
            "type: service\nname: scaled\nport: 8000\nreplicas: 1..2\n"
                + "scaling: {metric: rps, target: 10}\ncommands: [sleep 600]\n");
    BosunHarness.Result refused = bosun.run("apply", "-y", "-d", "-f", scaled.toString());
    assertThat(refused.code()).isEqualTo(2);
    assertThat(refused.err())
        .contains("replicas: 1..2: this server runs a fixed number of replicas so far");
  }

  private static int freePort() throws Exception {
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
