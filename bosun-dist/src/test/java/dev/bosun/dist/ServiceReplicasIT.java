package dev.bosun.dist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.bosun.api.BosunClient;
import dev.bosun.api.JobInfo;
import dev.bosun.api.Json;
import dev.bosun.api.RunInfo;
import dev.bosun.dist.hosts.TestHosts;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A service of two replicas on two real SSH hosts ({@link TestHosts}: network namespaces with real
 * OpenSSH), with the real CLI, server and agents, behind the server's proxy. Each replica is a
 * busybox httpd whose CGI scripts answer with the replica's number ({@code BOSUN_REPLICA_NUM},
 * written into the script at start) and a health check that fails while a file exists. Replicas
 * spread over both hosts, are not ready until their port answers, share the traffic, are replaced
 * when killed while the proxy sends requests to the other, and a failing probe keeps one out of the
 * traffic until it passes. Tests run in order on one fleet.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ServiceReplicasIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(120);
  private static final String FLEET = "pair";
  private static final int WEB_PORT = 8080;
  private static final int PROBED_PORT = 8081;
  private static final String WHO = "/cgi-bin/who";

  private final HttpClient http = HttpClient.newHttpClient();
  private TestHosts hosts;
  private BosunHarness bosun;
  private BosunClient admin;
  private String token;

  @BeforeAll
  void start() throws Exception {
    // Own prefix and subnet: other SSH ITs may run on this machine at the same time.
    hosts =
        TestHosts.builder().hosts(2).gpus("none,none").prefix("bosun-v").subnet("10.77.71").start();
    bosun = new BosunHarness();
    Path fleet =
        bosun.file(
            FLEET + ".bosun.yml",
            """
            type: fleet
            name: %s
            ssh_config:
              user: %s
              identity_file: %s
              hosts:
                - %s
                - %s
            """
                .formatted(
                    FLEET,
                    hosts.user(),
                    hosts.privateKey(),
                    hosts.host(1).ip(),
                    hosts.host(2).ip()));
    BosunHarness.Result applied = bosun.run("apply", "-y", "-f", fleet.toString());
    assertThat(applied.code()).as(applied.toString()).isZero();
    admin = bosun.client();
    token = bosun.adminToken();
    for (TestHosts.Host host : hosts.hosts()) {
      // What every replica copies to its own directory at start (the hosts' /tmp are their own).
      Path cgi = Files.createDirectories(host.tmp().resolve("www/cgi-bin"));
      script(
          cgi.resolve("who"),
          "printf 'Content-Type: text/plain\\r\\n\\r\\n'\necho 'replica @NUM@'\n");
      script(
          cgi.resolve("health"),
          "if [ -e @DIR@/unhealthy ]; then\n"
              + "  printf 'Status: 503 Service Unavailable\\r\\nContent-Type: text/plain\\r\\n\\r\\n'\n"
              + "  echo unhealthy\nelse\n"
              + "  printf 'Content-Type: text/plain\\r\\n\\r\\n'\n  echo ok\nfi\n");
    }
  }

  @AfterAll
  void stop() throws Exception {
    if (bosun != null) {
      bosun.close();
    }
    if (hosts != null) {
      hosts.close();
    }
  }

  private static void script(Path file, String body) throws Exception {
    Files.writeString(file, "#!/bin/sh\n" + body);
    file.toFile().setExecutable(true, false);
  }

  /**
   * Applies a service of two replicas on the fleet: each copies the CGI scripts to {@code
   * /tmp/NAME-N}, runs {@code prepare}, waits for {@code /tmp/go} on its host, then serves.
   */
  private void applyService(String name, int port, String extra, String prepare) throws Exception {
    Path file =
        bosun.file(
            name + ".bosun.yml",
            """
            type: service
            name: %1$s
            fleets: [%2$s]
            port: %3$d
            replicas: 2
            resources: {cpu: 0, memory: 0.1GB}
            %4$scommands:
              - D=/tmp/%1$s-$BOSUN_REPLICA_NUM; rm -rf $D; cp -r /tmp/www $D
              - sed -i "s|@DIR@|$D|g; s|@NUM@|$BOSUN_REPLICA_NUM|g" $D/cgi-bin/*
              - %5$s
              - echo "replica $BOSUN_REPLICA_NUM of %1$s serving on $(hostname)"
              - while [ ! -e /tmp/go ]; do sleep 0.2; done
              - exec busybox httpd -f -p 127.0.0.1:%3$d -h $D
            """
                .formatted(name, FLEET, port, extra, prepare));
    BosunHarness.Result apply = bosun.run("apply", "-y", "-d", "-f", file.toString());
    assertThat(apply.code()).as(apply.toString()).isZero();
    assertThat(apply.err()).contains("Service URL: " + url(name) + "/");
  }

  private String url(String service) {
    return bosun.serverUrl() + "/proxy/services/main/" + service;
  }

  private HttpResponse<String> get(String service, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(url(service) + path))
            .header("Authorization", "Bearer " + token)
            .timeout(TIMEOUT)
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** {@code n} GETs of {@link #WHO}, each answered 200; the replicas that answered. */
  private Set<String> spray(String service, int n) throws Exception {
    Set<String> answered = new HashSet<>();
    for (int i = 0; i < n; i++) {
      HttpResponse<String> response = get(service, WHO);
      assertThat(response.statusCode()).as("request %d: %s", i, response.body()).isEqualTo(200);
      answered.add(response.body().strip());
    }
    return answered;
  }

  private RunInfo awaitRun(String name, Predicate<RunInfo> condition) {
    return await()
        .atMost(TIMEOUT)
        .pollInterval(Duration.ofMillis(300))
        .until(() -> admin.run("main", name), condition);
  }

  /** The newest job of replica {@code num}. */
  private static JobInfo replica(RunInfo run, int num) {
    return run.jobs().stream()
        .filter(j -> j.jobNum() == num)
        .max(Comparator.comparingInt(JobInfo::submissionNum))
        .orElseThrow();
  }

  private static List<JobInfo> running(RunInfo run) {
    return run.jobs().stream().filter(j -> j.status().equals("running")).toList();
  }

  private static boolean allReady(RunInfo run) {
    return run.status().equals("running")
        && running(run).size() == 2
        && running(run).stream().allMatch(j -> Boolean.TRUE.equals(j.ready()));
  }

  /** The test host that runs {@code job}. */
  private int hostOf(JobInfo job) {
    return hosts.hosts().stream()
        .filter(h -> h.ip().equals(job.instance()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("job on " + job.instance() + ", not a test host"))
        .index();
  }

  /** The run as {@code bosun ps --json} shows it. */
  private RunInfo ps(String name) throws Exception {
    BosunHarness.Result ps = bosun.run("ps", "--json");
    assertThat(ps.code()).as(ps.toString()).isZero();
    List<RunInfo> runs = Json.mapper().readValue(ps.out(), new TypeReference<List<RunInfo>>() {});
    return runs.stream().filter(r -> r.name().equals(name)).findFirst().orElseThrow();
  }

  @Test
  @Order(1)
  void twoReplicasSpreadOverTheHostsAndShareTheTraffic() throws Exception {
    applyService("web", WEB_PORT, "", "true");
    // Both replicas run, one per host, but nothing listens on their port yet: neither is ready.
    String closed = "does not accept connections on port " + WEB_PORT;
    RunInfo waiting =
        awaitRun(
            "web",
            r ->
                running(r).size() == 2
                    && running(r).stream()
                        .allMatch(
                            j ->
                                Boolean.FALSE.equals(j.ready())
                                    && String.valueOf(j.message()).contains(closed)));
    assertThat(running(waiting)).extracting(JobInfo::jobNum).containsExactlyInAnyOrder(0, 1);
    assertThat(running(waiting))
        .extracting(JobInfo::instance)
        .containsExactlyInAnyOrder(hosts.host(1).ip(), hosts.host(2).ip());
    assertThat(waiting.reasonText()).startsWith("0/2 replicas ready; replica 0: " + closed);

    for (TestHosts.Host host : hosts.hosts()) {
      Files.createFile(host.tmp().resolve("go"));
    }
    awaitRun("web", ServiceReplicasIT::allReady);
    assertThat(spray("web", 40)).containsExactlyInAnyOrder("replica 0", "replica 1");
    HttpResponse<String> anonymous =
        http.send(
            HttpRequest.newBuilder(URI.create(url("web") + WHO)).timeout(TIMEOUT).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(anonymous.statusCode()).as("auth is on").isEqualTo(401);

    RunInfo shown = ps("web");
    assertThat(shown.status()).isEqualTo("running");
    assertThat(shown.reasonText()).isEqualTo("2/2 replicas ready");
    assertThat(running(shown)).hasSize(2).allSatisfy(j -> assertThat(j.ready()).isTrue());
  }

  @Test
  @Order(2)
  void aKilledReplicaIsReplacedWhileTheOtherTakesTheRequests() throws Exception {
    JobInfo killed = replica(admin.run("main", "web"), 1);
    int host = hostOf(killed);
    List<String> answers = Collections.synchronizedList(new ArrayList<>());
    List<String> failures = Collections.synchronizedList(new ArrayList<>());
    AtomicBoolean sending = new AtomicBoolean(true);
    Thread client =
        Thread.ofVirtual()
            .start(
                () -> {
                  while (sending.get()) {
                    try {
                      HttpResponse<String> response = get("web", WHO);
                      if (response.statusCode() == 200) {
                        answers.add(response.body().strip());
                      } else {
                        failures.add(response.statusCode() + " " + response.body());
                      }
                    } catch (Exception e) {
                      failures.add(e.toString());
                    }
                  }
                });
    try {
      await().atMost(TIMEOUT).until(() -> answers.size() >= 5);
      TestHosts.Result kill =
          hosts.exec(host, "pkill", "-f", "[h]ttpd -f -p 127.0.0.1:" + WEB_PORT);
      assertThat(kill.ok()).as(kill.toString()).isTrue();

      RunInfo replaced = awaitRun("web", r -> replica(r, 1).submissionNum() == 1 && allReady(r));
      JobInfo successor = replica(replaced, 1);
      assertThat(successor.instance()).isEqualTo(killed.instance());
      assertThat(replaced.jobs())
          .filteredOn(j -> j.id().equals(killed.id()))
          .singleElement()
          .satisfies(j -> assertThat(j.finishedAt()).isNotNull());
      int mark = answers.size();
      await()
          .atMost(TIMEOUT)
          .until(
              () -> {
                List<String> all = List.copyOf(answers);
                return all.subList(mark, all.size()).contains("replica 1");
              });
    } finally {
      sending.set(false);
      client.join(TIMEOUT.toMillis());
    }
    System.out.println(answers.size() + " requests answered while replica 1 was replaced");
    assertThat(failures).as("requests while replica 1 was down").isEmpty();
    RunInfo after = ps("web");
    assertThat(after.status()).isEqualTo("running");
    assertThat(after.reasonText()).isEqualTo("2/2 replicas ready");
    assertThat(after.jobs()).hasSize(3);
  }

  @Test
  @Order(3)
  void aFailingProbeKeepsAReplicaOutOfTheTrafficUntilItPasses() throws Exception {
    // Another service on the same two hosts, on another port, while "web" still runs.
    applyService(
        "probed",
        PROBED_PORT,
        "probes: [{type: http, url: /cgi-bin/health, interval: 1s}]\n",
        "if [ \"$BOSUN_REPLICA_NUM\" = 1 ]; then touch $D/unhealthy; fi");
    RunInfo half =
        awaitRun(
            "probed",
            r ->
                running(r).size() == 2
                    && Boolean.TRUE.equals(replica(r, 0).ready())
                    && Boolean.FALSE.equals(replica(r, 1).ready())
                    && String.valueOf(replica(r, 1).message()).contains("answered 503"));
    assertThat(half.reasonText())
        .startsWith("1/2 replicas ready; replica 1: probe GET /cgi-bin/health answered 503");
    assertThat(spray("probed", 20)).containsExactly("replica 0");
    JobInfo unhealthy = replica(ps("probed"), 1);
    assertThat(unhealthy.ready()).isFalse();
    assertThat(unhealthy.message()).contains("answered 503");

    TestHosts.Result healed = hosts.exec(hostOf(unhealthy), "rm", "/tmp/probed-1/unhealthy");
    assertThat(healed.ok()).as(healed.toString()).isTrue();
    awaitRun("probed", ServiceReplicasIT::allReady);
    assertThat(spray("probed", 20)).containsExactlyInAnyOrder("replica 0", "replica 1");
    assertThat(ps("probed").reasonText()).isEqualTo("2/2 replicas ready");
    // The first service still serves from both of its replicas.
    assertThat(spray("web", 10)).containsExactlyInAnyOrder("replica 0", "replica 1");
  }

  @Test
  @Order(4)
  void eachReplicaHasItsOwnLog() throws Exception {
    for (int num = 0; num < 2; num++) {
      BosunHarness.Result logs = bosun.run("logs", "probed", "--replica", String.valueOf(num));
      assertThat(logs.code()).as(logs.toString()).isZero();
      assertThat(logs.out())
          .contains("replica " + num + " of probed serving on bosun-v-h")
          .doesNotContain("replica " + (1 - num) + " of probed");
    }
    BosunHarness.Result none = bosun.run("logs", "probed", "--replica", "5");
    assertThat(none.code()).isEqualTo(2);
    assertThat(none.err()).contains("run probed has no replica 5; its replicas are 0, 1");
    assertThat(bosun.run("stop", "-x", "probed").code()).isZero();
    assertThat(bosun.run("stop", "-x", "web").code()).isZero();
    RunInfo stopped = awaitRun("web", r -> r.finishedAt() != null);
    assertThat(stopped.jobs()).allSatisfy(j -> assertThat(j.finishedAt()).isNotNull());
  }

  @Test
  @Order(5)
  void reApplyingRollsTheServiceToAFreeHostBeforeTheOldReplicaStops() throws Exception {
    java.util.function.IntFunction<String> version =
        v ->
            """
            type: service
            name: roll
            fleets: [%s]
            port: 8082
            replicas: 1
            resources: {cpu: 0, memory: 0.1GB}
            env: [VERSION=%d]
            commands:
              - D=/tmp/roll-$VERSION; rm -rf $D; mkdir -p $D; echo "v$VERSION" > $D/version.txt
              - exec busybox httpd -f -p 127.0.0.1:8082 -h $D
            """
                .formatted(FLEET, v);
    Path file = bosun.file("roll.bosun.yml", version.apply(1));
    assertThat(bosun.run("apply", "-y", "-d", "-f", file.toString()).code()).isZero();
    await().atMost(TIMEOUT).until(() -> get("roll", "/version.txt").body().equals("v1\n"));
    JobInfo first = replica(admin.run("main", "roll"), 0);

    Files.writeString(file, version.apply(2));
    BosunHarness.Result update = bosun.run("apply", "-y", "-f", file.toString());
    assertThat(update.code()).as(update.toString()).isZero();
    assertThat(update.err()).contains("Updating service roll");
    List<Integer> statuses = Collections.synchronizedList(new ArrayList<>());
    await()
        .atMost(TIMEOUT)
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              HttpResponse<String> answer = get("roll", "/version.txt");
              statuses.add(answer.statusCode());
              return answer.body().equals("v2\n");
            });
    assertThat(statuses).containsOnly(200);
    RunInfo rolled =
        awaitRun("roll", r -> r.jobs().stream().filter(j -> j.finishedAt() == null).count() == 1);
    JobInfo second = replica(rolled, 0);
    // The other host was free: the new replica started there, beside the old one.
    assertThat(hostOf(second)).isNotEqualTo(hostOf(first));
    assertThat(rolled.jobs())
        .filteredOn(j -> j.id().equals(first.id()))
        .singleElement()
        .satisfies(
            old -> {
              assertThat(old.terminationReason()).isEqualTo("scaled_down");
              assertThat(old.message()).isEqualTo("replaced by deployment 1");
            });
    assertThat(bosun.run("stop", "-x", "roll").code()).isZero();
  }

  @Test
  @Order(6)
  void aLoadGeneratorScalesTheServiceUpAndItsEndScalesItDown() throws Exception {
    Path file =
        bosun.file(
            "elastic.bosun.yml",
            """
            type: service
            name: elastic
            fleets: [%s]
            port: 8083
            replicas: 1..2
            scaling: {metric: rps, target: 2, window: 4s, scale_up_delay: 0s, scale_down_delay: 6s}
            resources: {cpu: 0, memory: 0.1GB}
            commands:
              - D=/tmp/elastic-$BOSUN_REPLICA_NUM; rm -rf $D; mkdir -p $D; echo ok > $D/ok.txt
              - exec busybox httpd -f -p 127.0.0.1:8083 -h $D
            """
                .formatted(FLEET));
    assertThat(bosun.run("apply", "-y", "-d", "-f", file.toString()).code()).isZero();
    await().atMost(TIMEOUT).until(() -> get("elastic", "/ok.txt").statusCode() == 200);
    assertThat(admin.run("main", "elastic").jobs()).hasSize(1);

    // About 10 requests a second against a target of 2 per replica: a second replica is added.
    AtomicBoolean loading = new AtomicBoolean(true);
    List<Integer> statuses = Collections.synchronizedList(new ArrayList<>());
    Thread load =
        Thread.ofVirtual()
            .start(
                () -> {
                  while (loading.get()) {
                    try {
                      statuses.add(get("elastic", "/ok.txt").statusCode());
                      Thread.sleep(100);
                    } catch (Exception e) {
                      statuses.add(-1);
                    }
                  }
                });
    try {
      RunInfo up = awaitRun("elastic", r -> running(r).size() == 2);
      assertThat(running(up)).extracting(JobInfo::jobNum).containsExactlyInAnyOrder(0, 1);
    } finally {
      loading.set(false);
      load.join();
    }
    assertThat(statuses).isNotEmpty().containsOnly(200);

    // No more requests: once the window has emptied and the delay passed, back to one.
    RunInfo down =
        awaitRun(
            "elastic",
            r ->
                r.jobs().stream().anyMatch(j -> "scaled_down".equals(j.terminationReason()))
                    && r.jobs().stream().filter(j -> j.finishedAt() == null).count() == 1);
    assertThat(down.status()).isEqualTo("running");
    assertThat(get("elastic", "/ok.txt").statusCode()).isEqualTo(200);
    assertThat(bosun.run("stop", "-x", "elastic").code()).isZero();
  }
}
