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
 * response reaches the client as it is written, and a stopped service says so.
 */
class ServiceProxyIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final String DOMAIN = "svc.bosun.test";
  private final HttpClient http = HttpClient.newHttpClient();
  private BosunHarness bosun;
  private Path www;

  /**
   * The server's --replica-timeout in {@link #aReplicaSilentTooLongIsAnswered504} (default 10m).
   */
  private static final String SHORT_SILENCE = "2s";

  @BeforeEach
  void start(org.junit.jupiter.api.TestInfo test) throws Exception {
    bosun = new BosunHarness().withEnv("BOSUN_SERVICES_DOMAIN", DOMAIN);
    if (test.getTestMethod().orElseThrow().getName().equals("aReplicaSilentTooLongIsAnswered504")) {
      bosun.withEnv("BOSUN_REPLICA_TIMEOUT", SHORT_SILENCE);
    }
    www = Files.createTempDirectory("bosun-service-www-");
    Files.writeString(www.resolve("hello.txt"), "hello through the proxy\n");
    Files.writeString(www.resolve("café menu.txt"), "escaped both ways\n");
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
    // Streams until its reader goes away, then says so (SIGPIPE) in a file.
    script(
        cgi.resolve("ticks"),
        "#!/bin/sh\ntrap 'touch "
            + www.resolve("gone")
            + "; exit 0' PIPE\nprintf 'Content-Type: text/event-stream\\r\\n\\r\\n'\n"
            + "i=0\nwhile [ $i -lt 600 ]; do echo \"data: tick $i\"; echo; i=$((i+1)); sleep 0.1;"
            + " done\n");
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
    assertThat(apply.err())
        .contains("Service URL: http://" + name + ".main." + DOMAIN + ":" + bosun.port + "/");
    if (extra.contains("model:")) {
      assertThat(apply.err())
          .contains("Model URL: " + bosun.serverUrl() + "/proxy/models/main/v1 (OpenAI API;");
    }
    return url;
  }

  private HttpResponse<String> post(String url, String token, String body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(url))
            .timeout(TIMEOUT)
            .header("Authorization", "Bearer " + token)
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
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
    String url =
        service("web", freePort(), "model: {name: tiny, format: openai, prefix: /cgi-bin}\n");
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
    // A larger body is streamed to the replica as it comes (not read first). (busybox httpd's CGI
    // takes no chunked bodies: ServiceSocketsIT sends one of unknown length to its own replica.)
    String huge = "y".repeat(5 << 20);
    HttpResponse<String> streamedUp =
        http.send(
            HttpRequest.newBuilder(URI.create(url + "/cgi-bin/echo"))
                .header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofString(huge))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(streamedUp.statusCode()).as(streamedUp.body()).isEqualTo(200);
    assertThat(streamedUp.body()).isEqualTo("POST /cgi-bin/echo\n" + huge);

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

    // The model endpoint: listed for members, routed by the body's model to the model's prefix.
    String models = bosun.serverUrl() + "/proxy/models/main/v1";
    assertThat(get(models + "/models", null).statusCode()).isEqualTo(401);
    HttpResponse<String> listed = get(models + "/models", token);
    assertThat(listed.statusCode()).isEqualTo(200);
    assertThat(listed.body()).startsWith("{\"object\":\"list\",\"data\":[{\"id\":\"tiny\"");
    HttpResponse<String> chat =
        post(models + "/echo", token, "{\"stream\": true, \"model\": \"tiny\"}");
    assertThat(chat.statusCode()).as(chat.body()).isEqualTo(200);
    assertThat(chat.body())
        .isEqualTo("POST /cgi-bin/echo\n{\"stream\": true, \"model\": \"tiny\"}");
    // Streaming through the model endpoint: server-sent events as the replica writes them.
    HttpResponse<String> streamed = post(models + "/events", token, "{\"model\": \"tiny\"}");
    assertThat(streamed.headers().firstValue("content-type")).hasValue("text/event-stream");
    assertThat(streamed.body()).isEqualTo("data: first\n\ndata: second\n\n");
    HttpResponse<String> unknown = post(models + "/echo", token, "{\"model\": \"huge\"}");
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(unknown.body()).contains("serves model 'huge'; served: tiny");
    HttpResponse<String> malformed = post(models + "/echo", token, "{\"model\": ");
    assertThat(malformed.statusCode()).isEqualTo(400);
    assertThat(malformed.body()).contains("the request body is not valid JSON");
    Path twin =
        bosun.file(
            "twin.bosun.yml",
            "type: service\nname: twin\nport: 8000\nmodel: tiny\ncommands: [sleep 600]\n");
    BosunHarness.Result refused = bosun.run("apply", "-y", "-d", "-f", twin.toString());
    assertThat(refused.code()).isEqualTo(2);
    assertThat(refused.err()).contains("model: 'tiny' is served by service web already");

    BosunClient admin = bosun.client();
    admin.stop("main", "web", true);
    await().atMost(TIMEOUT).until(() -> admin.run("main", "web"), r -> r.finishedAt() != null);
    HttpResponse<String> stopped = get(url + "/hello.txt", token);
    assertThat(stopped.statusCode()).isEqualTo(409);
    assertThat(stopped.body()).contains("service web is terminated");
  }

  @Test
  void authFalseOpensTheServiceAndReplicasSayWhyTheyAreNotReady() throws Exception {
    String url =
        service(
            "open",
            freePort(),
            "auth: false\nrate_limits: [{prefix: /limited, rps: 0.5},"
                + " {prefix: /limited, key: {type: header, header: X-Api-Key}, rps: 100}]\n"
                + "probes: [{type: http, url: /hello.txt, interval: 1s}]\n");
    HttpResponse<String> hello = get(url + "/hello.txt", null);
    assertThat(hello.statusCode()).as(hello.body()).isEqualTo(200);
    // One request per 2 s by client address on /limited: the second at once is refused.
    assertThat(get(url + "/limited/a", null).statusCode()).isNotEqualTo(429);
    HttpResponse<String> limited = get(url + "/limited/b", null);
    assertThat(limited.statusCode()).isEqualTo(429);
    assertThat(limited.headers().firstValue("Retry-After")).hasValue("2");
    assertThat(limited.body()).contains("too many requests to service open");
    // Spelled otherwise, a path is limited all the same: it is decoded and normalized first (as
    // the replica reads it), and passed on so that it says the same.
    assertThat(get(url + "/%6Cimited/c", null).statusCode()).isEqualTo(429);
    assertThat(get(url + "/x/../limited/d", null).statusCode()).isEqualTo(429);
    assertThat(get(url + "/hell%6F.txt", null).statusCode()).isEqualTo(200);
    assertThat(get(url + "/hello.txt", null).statusCode()).isEqualTo(200);
    assertThat(get(url + "//limited/e", null).statusCode()).isEqualTo(429); // slashes merged
    // What a replica could read otherwise than the proxy (an encoded '/') is refused.
    HttpResponse<String> split = get(url + "/limited%2Fx", null);
    assertThat(split.statusCode()).as(split.body()).isEqualTo(400);
    assertThat(split.body()).contains("%2F");
    // A name that must be escaped reaches the replica escaped once, whatever was escaped.
    HttpResponse<String> escaped = get(url + "/caf%C3%A9%20menu.txt", null);
    assertThat(escaped.statusCode()).as(escaped.body()).isEqualTo(200);
    assertThat(escaped.body()).isEqualTo("escaped both ways\n");
    assertThat(get(url + "/caf%c3%a9%20m%65nu.txt", null).body()).isEqualTo("escaped both ways\n");
    assertThat(get(bosun.serverUrl() + "/proxy/services/main/nothing/x", null).statusCode())
        .isEqualTo(404);

    // The local fleet is one host, and replicas listen on the same port of their host: the second
    // replica waits, and a replica whose command never listens on port is not ready, saying so.
    Path two =
        bosun.file(
            "two.bosun.yml",
            "type: service\nname: two\nport: 8000\nreplicas: 2\nresources: {cpu: 1, memory: 0.2GB}\n"
                + "commands: [sleep 600]\n");
    assertThat(bosun.run("apply", "-y", "-d", "-f", two.toString()).code()).isEqualTo(0);
    BosunClient admin = bosun.client();
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () ->
                assertThat(admin.run("main", "two").reasonText())
                    .startsWith(
                        "0/2 replicas ready; replica 0: does not accept connections on port")
                    .contains("replica 1: queued: ")
                    .contains("runs a replica of this service already"));
    assertThat(admin.run("main", "two").status()).isEqualTo("running");

    admin.stop("main", "two", true);

    // Autoscaling from zero: no replica until the first request, which waits for one; back to
    // zero once the window has passed without requests and the delay since the last change.
    String scaled =
        service(
            "scaled",
            freePort(),
            "replicas: 0..1\n"
                + "scaling: {metric: rps, target: 5, window: 2s, scale_up_delay: 0s,"
                + " scale_down_delay: 4s}\n");
    assertThat(admin.run("main", "scaled").status()).isEqualTo("running");
    assertThat(admin.run("main", "scaled").jobs()).isEmpty();
    HttpResponse<String> woken = get(scaled + "/hello.txt", bosun.adminToken());
    assertThat(woken.statusCode()).as(woken.body()).isEqualTo(200);
    assertThat(admin.run("main", "scaled").jobs()).hasSize(1);
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () ->
                assertThat(admin.run("main", "scaled").jobs())
                    .singleElement()
                    .satisfies(
                        job -> assertThat(job.terminationReason()).isEqualTo("scaled_down")));
    assertThat(admin.run("main", "scaled").status()).isEqualTo("running");
    assertThat(admin.run("main", "scaled").reasonText()).isEqualTo("0/0 replicas ready");
    HttpResponse<String> again = get(scaled + "/hello.txt", bosun.adminToken());
    assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
    assertThat(admin.run("main", "scaled").jobs())
        .extracting(dev.bosun.api.JobInfo::jobNum, dev.bosun.api.JobInfo::submissionNum)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(0, 0), org.assertj.core.groups.Tuple.tuple(0, 1));
  }

  @Test
  void reApplyingAChangedServiceRollsItAndAnUnchangedOneDoesNothing() throws Exception {
    int port = freePort();
    java.util.function.IntFunction<String> version =
        v ->
            "type: service\nname: roll\nport: "
                + port
                + "\nresources: {cpu: 1, memory: 0.2GB}\nenv: [VERSION="
                + v
                + "]\ncommands:\n  - mkdir -p "
                + www
                + "/v$VERSION && echo $VERSION > "
                + www
                + "/v$VERSION/version.txt\n  - exec busybox httpd -f -p 127.0.0.1:"
                + port
                + " -h "
                + www
                + "/v$VERSION\n";
    Path file = bosun.file("roll.bosun.yml", version.apply(1));
    assertThat(bosun.run("apply", "-y", "-d", "-f", file.toString()).code()).isZero();
    String url = bosun.serverUrl() + "/proxy/services/main/roll/version.txt";
    String token = bosun.adminToken();
    assertThat(get(url, token).body()).isEqualTo("1\n");

    BosunHarness.Result unchanged = bosun.run("apply", "-y", "-f", file.toString());
    assertThat(unchanged.code()).as(unchanged.toString()).isZero();
    assertThat(unchanged.err()).contains("Service roll is unchanged; nothing to do.");
    BosunClient admin = bosun.client();
    assertThat(admin.run("main", "roll").jobs()).hasSize(1);

    // A slow request in flight on the old replica when it is retired: it is answered before the
    // replica is stopped (the proxy drains it).
    Path slow = Files.createDirectories(www.resolve("v1/cgi-bin")).resolve("slow");
    Files.writeString(
        slow, "#!/bin/sh\nsleep 14\nprintf 'Content-Type: text/plain\\r\\n\\r\\nslow answer\\n'\n");
    Files.setPosixFilePermissions(
        slow, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    java.util.concurrent.CompletableFuture<HttpResponse<String>> inFlight =
        http.sendAsync(
            HttpRequest.newBuilder(
                    URI.create(bosun.serverUrl() + "/proxy/services/main/roll/cgi-bin/slow"))
                .header("Authorization", "Bearer " + token)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    Thread.sleep(500);

    Files.writeString(file, version.apply(2));
    BosunHarness.Result plan = bosun.run("apply", "--dry-run", "-f", file.toString());
    assertThat(plan.code()).as(plan.toString()).isZero();
    BosunHarness.Result update = bosun.run("apply", "-y", "-f", file.toString());
    assertThat(update.code()).as(update.toString()).isZero();
    assertThat(update.err()).contains("Updating service roll");
    // One host: the new replica cannot start beside the old one, which makes room for it; the
    // requests meanwhile wait for a replica instead of failing.
    java.util.List<Integer> statuses = new java.util.ArrayList<>();
    await()
        .atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              HttpResponse<String> answer = get(url, token);
              statuses.add(answer.statusCode());
              return answer.body().equals("2\n");
            });
    assertThat(statuses).containsOnly(200);
    HttpResponse<String> slowAnswer = inFlight.get(60, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(slowAnswer.statusCode()).as(slowAnswer.body()).isEqualTo(200);
    assertThat(slowAnswer.body()).isEqualTo("slow answer\n");
    assertThat(admin.run("main", "roll").jobs())
        .extracting(dev.bosun.api.JobInfo::status, dev.bosun.api.JobInfo::message)
        .contains(org.assertj.core.groups.Tuple.tuple("terminated", "replaced by deployment 1"));
    assertThat(admin.run("main", "roll").status()).isEqualTo("running");
  }

  @Test
  void aServiceHasItsOwnHostNameAndAClientLeavingMidStreamEndsTheReplicasRequest()
      throws Exception {
    String url = service("named", freePort(), "");
    assertThat(get(url + "/hello.txt", bosun.adminToken()).statusCode()).isEqualTo(200);

    // Host: named.main.DOMAIN reaches the service at its own root path.
    String answer = raw("named.main." + DOMAIN, "/hello.txt", bosun.adminToken());
    assertThat(answer).startsWith("HTTP/1.1 200").endsWith("\r\n\r\nhello through the proxy\n");
    assertThat(raw("named.main." + DOMAIN, "/hello.txt", null)).startsWith("HTTP/1.1 401");
    assertThat(raw("nothing.main." + DOMAIN, "/x", bosun.adminToken()))
        .startsWith("HTTP/1.1 404")
        .contains("no service named 'nothing' in project 'main'");
    assertThat(raw("127.0.0.1", "/healthz", null)).startsWith("HTTP/1.1 200").contains(DOMAIN);

    // A client that goes away mid-stream: the proxy drops the replica's request, so the replica
    // sees its reader gone.
    HttpResponse<InputStream> ticks =
        http.send(
            HttpRequest.newBuilder(URI.create(url + "/cgi-bin/ticks"))
                .header("Authorization", "Bearer " + bosun.adminToken())
                .build(),
            HttpResponse.BodyHandlers.ofInputStream());
    BufferedReader lines =
        new BufferedReader(new InputStreamReader(ticks.body(), StandardCharsets.UTF_8));
    assertThat(lines.readLine()).isEqualTo("data: tick 0");
    lines.close();
    await().atMost(TIMEOUT).until(() -> Files.exists(www.resolve("gone")));
  }

  @Test
  void aReplicaSilentTooLongIsAnswered504() throws Exception {
    script(
        Files.createDirectories(www.resolve("cgi-bin")).resolve("quiet"),
        "#!/bin/sh\nsleep 5\nprintf 'Content-Type: text/plain\\r\\n\\r\\nlate\\n'\n");
    String url = service("thinker", freePort(), "auth: false\n");
    assertThat(get(url + "/hello.txt", null).statusCode()).isEqualTo(200);
    HttpResponse<String> quiet = get(url + "/cgi-bin/quiet", null);
    assertThat(quiet.statusCode()).as(quiet.body()).isEqualTo(504);
    assertThat(quiet.body())
        .contains("replica 0 of service thinker was silent for " + SHORT_SILENCE)
        .contains("--replica-timeout");
    // A slow replica is not a broken one: it stays in rotation.
    assertThat(java.util.Objects.toString(bosun.client().run("main", "thinker").reasonText(), ""))
        .doesNotContain("0/1");
    assertThat(get(url + "/hello.txt", null).statusCode()).isEqualTo(200);
  }

  /** A request written by hand, for a Host header the JDK client does not let one set. */
  private String raw(String host, String path, String token) throws Exception {
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", bosun.port)) {
      socket.setSoTimeout((int) TIMEOUT.toMillis());
      String request =
          "GET "
              + path
              + " HTTP/1.1\r\nHost: "
              + host
              + ":"
              + bosun.port
              + "\r\n"
              + (token == null ? "" : "Authorization: Bearer " + token + "\r\n")
              + "Connection: close\r\n\r\n";
      socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  static int freePort() throws Exception {
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
