package dev.bosun.dist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bosun.api.ApiException;
import dev.bosun.api.BosunClient;
import dev.bosun.api.CreateProjectRequest;
import dev.bosun.api.CreateUserRequest;
import dev.bosun.api.CreatedUser;
import dev.bosun.api.RunInfo;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Bad input gets one clear sentence and the documented exit code, and loses nothing. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputIT {
  private BosunHarness bosun;

  @BeforeAll
  void start() throws Exception {
    bosun = new BosunHarness();
    Path ok = bosun.file("ok.bosun.yml", "type: task\nname: ok\ncommands:\n  - echo ok\n");
    BosunHarness.Result first = bosun.run("apply", "-y", "-f", ok.toString());
    assertThat(first.code()).as(first.toString()).isZero();
  }

  @AfterAll
  void stop() throws Exception {
    bosun.close();
  }

  private BosunHarness.Result apply(String name, String content, String... extra) throws Exception {
    Path file = bosun.file(name, content);
    List<String> args = new ArrayList<>(List.of("apply", "-y", "-f", file.toString()));
    args.addAll(List.of(extra));
    return bosun.run(args.toArray(String[]::new));
  }

  private static void assertNoStackTrace(BosunHarness.Result result) {
    assertThat(result.err()).doesNotContain("\tat ").doesNotContain("Exception:");
  }

  @Test
  void malformedYamlNamesFileLineAndColumn() throws Exception {
    BosunHarness.Result result =
        apply("broken.bosun.yml", "type: task\ncommands:\n  - echo hi\n   bad: [\n");
    assertThat(result.code()).isEqualTo(2);
    assertThat(result.err()).containsPattern("broken\\.bosun\\.yml:\\d+:\\d+");
    assertNoStackTrace(result);
  }

  @Test
  void unknownFieldIsNamedWithASuggestion() throws Exception {
    BosunHarness.Result result = apply("typo.bosun.yml", "type: task\ncomands:\n  - echo hi\n");
    assertThat(result.code()).isEqualTo(2);
    assertThat(result.err())
        .contains("typo.bosun.yml:2:1")
        .contains("comands")
        .contains("commands");
    assertNoStackTrace(result);
  }

  @Test
  void badResourceSpecsAreRejected() throws Exception {
    BosunHarness.Result gpu =
        apply("gpu.bosun.yml", "type: task\ncommands: [nvidia-smi]\nresources:\n  gpu: H100:abc\n");
    assertThat(gpu.code()).isEqualTo(2);
    assertThat(gpu.err()).contains("gpu.bosun.yml:4:").contains("resources.gpu").contains("abc");
    BosunHarness.Result memory =
        apply("mem.bosun.yml", "type: task\ncommands: [true]\nresources:\n  memory: 8XB\n");
    assertThat(memory.code()).isEqualTo(2);
    assertThat(memory.err()).contains("resources.memory").contains("8XB");
  }

  @Test
  void badServerOptionsStopTheServerBeforeItStarts() throws Exception {
    BosunHarness.Result soon = bosun.run("server", "--port", "0", "--replica-timeout", "soon");
    assertThat(soon.code()).isEqualTo(2);
    assertThat(soon.err()).contains("--replica-timeout").contains("e.g. 10m");
    assertNoStackTrace(soon);
    BosunHarness.Result zero = bosun.run("server", "--port", "0", "--replica-timeout", "0s");
    assertThat(zero.code()).isEqualTo(2);
    assertThat(zero.err()).contains("--replica-timeout: 0s is not between 1s and 365d");
    BosunHarness.Result huge = bosun.run("server", "--port", "0", "--replica-timeout", "400d");
    assertThat(huge.code()).as(huge.toString()).isEqualTo(2);
    assertThat(huge.err()).contains("--replica-timeout: 400d is not between 1s and 365d");
    assertNoStackTrace(huge);
    BosunHarness.Result domain = bosun.run("server", "--port", "0", "--services-domain", "a b");
    assertThat(domain.code()).isEqualTo(2);
    assertThat(domain.err()).startsWith("Error: --services-domain: ");
    assertNoStackTrace(domain);
  }

  @Test
  void emptyCommandsAndMissingFilesAreUsageErrors() throws Exception {
    BosunHarness.Result empty = apply("empty.bosun.yml", "type: task\ncommands: []\n");
    assertThat(empty.code()).isEqualTo(2);
    assertThat(empty.err()).contains("commands");
    BosunHarness.Result missing = bosun.run("apply", "-y", "-f", "/nonexistent/run.bosun.yml");
    assertThat(missing.code()).isEqualTo(2);
    assertThat(missing.err()).contains("/nonexistent/run.bosun.yml does not exist");
  }

  @Test
  void dryRunPrintsThePlanAndSubmitsNothing() throws Exception {
    BosunHarness.Result valid =
        apply("dry.bosun.yml", "type: task\nname: dry\ncommands: [true]\n", "--dry-run");
    assertThat(valid.code()).as(valid.toString()).isZero();
    assertThat(valid.out()).contains("dry").contains("local");
    assertThatThrownBy(() -> bosun.client().run("main", "dry")).isInstanceOf(ApiException.class);
    BosunHarness.Result huge =
        apply(
            "huge.bosun.yml",
            "type: task\nname: huge\ncommands: [true]\nresources:\n  gpu: H100:8\n",
            "--dry-run");
    assertThat(huge.code()).as(huge.toString()).isZero();
    assertThat(huge.out()).contains("none fits");
    BosunHarness.Result invalid = apply("dry-bad.bosun.yml", "type: task\n", "--dry-run");
    assertThat(invalid.code()).isEqualTo(2);
  }

  @Test
  void aRunThatCanNeverFitFailsWithNoCapacity() throws Exception {
    BosunHarness.Result result =
        apply(
            "never.bosun.yml",
            "type: task\nname: never\ncommands: [true]\nresources:\n  cpu: 4096\n");
    assertThat(result.code()).as(result.toString()).isEqualTo(1);
    RunInfo run = bosun.client().run("main", "never");
    assertThat(run.terminationReason()).isEqualTo("failed_to_start_due_to_no_capacity");
    assertThat(run.reasonText()).contains("4096");
  }

  @Test
  void wrongOrMissingTokenIsRefusedWithExitThree() throws Exception {
    BosunHarness.Result wrong = bosun.run(Map.of("BOSUN_TOKEN", "bsn_not-a-token"), "ps");
    assertThat(wrong.code()).isEqualTo(3);
    assertThat(wrong.err()).contains("token is not valid");
    BosunClient anonymous = new BosunClient(URI.create(bosun.serverUrl()), null);
    assertThatThrownBy(() -> anonymous.runs("main", true))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.httpStatus()).isEqualTo(401));
  }

  @Test
  void anotherProjectsRunsAreOutOfReach() throws Exception {
    BosunClient admin = bosun.client();
    CreatedUser alice = admin.createUser(new CreateUserRequest("alice"));
    admin.createProject(new CreateProjectRequest("research", List.of("alice")));
    BosunClient asAlice = new BosunClient(URI.create(bosun.serverUrl()), alice.token());
    assertThatThrownBy(() -> asAlice.run("main", "ok"))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.httpStatus()).isEqualTo(403));
    assertThatThrownBy(() -> asAlice.stop("main", "ok", true))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.httpStatus()).isEqualTo(403));
    assertThatThrownBy(() -> asAlice.runs("no-such-project", true))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.httpStatus()).isEqualTo(403));
    BosunHarness.Result cli = bosun.run(Map.of("BOSUN_TOKEN", alice.token()), "logs", "ok");
    assertThat(cli.code()).isEqualTo(3);
    assertThat(cli.err()).contains("not a member of project 'main'");

    // Alice may use her project, but fleets belong to projects: main's local fleet is not hers.
    assertThatThrownBy(() -> asAlice.runs("main", true)).isInstanceOf(ApiException.class);
    RunInfo submitted =
        asAlice.apply(
            "research",
            new dev.bosun.api.ApplyRequest(
                "type: task\nname: elsewhere\ncommands: [true]\n", "r.yml", Map.of(), null));
    assertThat(submitted.project()).isEqualTo("research");
    RunInfo ended =
        org.awaitility.Awaitility.await()
            .atMost(java.time.Duration.ofSeconds(30))
            .until(() -> asAlice.run("research", "elsewhere"), run -> run.finishedAt() != null);
    assertThat(ended.terminationReason()).isEqualTo("failed_to_start_due_to_no_capacity");
    assertThat(asAlice.fleets("research")).isEmpty();
  }

  @Test
  void unknownRunsAndFinishedRunsGiveClearErrors() throws Exception {
    BosunHarness.Result logs = bosun.run("logs", "no-such-run");
    assertThat(logs.code()).isEqualTo(2);
    assertThat(logs.err()).contains("no run named 'no-such-run'");
    BosunHarness.Result stop = bosun.run("stop", "ok");
    assertThat(stop.code()).isEqualTo(2);
    assertThat(stop.err()).contains("already finished");
  }

  @Test
  void twoAppliesOfOneNameAtOnceStartOneRun() throws Exception {
    Path file = bosun.file("twin.bosun.yml", "type: task\nname: twin\ncommands:\n  - sleep 2\n");
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Callable<BosunHarness.Result> apply =
          () -> bosun.run("apply", "-y", "-d", "-f", file.toString());
      Future<BosunHarness.Result> a = pool.submit(apply);
      Future<BosunHarness.Result> b = pool.submit(apply);
      List<Integer> codes = List.of(a.get().code(), b.get().code());
      assertThat(codes).as(a.get() + "\n" + b.get()).containsExactlyInAnyOrder(0, 2);
      String loser = a.get().code() == 2 ? a.get().err() : b.get().err();
      assertThat(loser).contains("already");
    } finally {
      pool.shutdownNow();
    }
    assertThat(
            bosun.client().runs("main", true).stream().filter(r -> r.name().equals("twin")).count())
        .isEqualTo(1);
  }

  @Test
  void openApiDocumentAndHealthAreServed() throws Exception {
    var http = java.net.http.HttpClient.newHttpClient();
    var openapi =
        http.send(
            java.net.http.HttpRequest.newBuilder(
                    URI.create(bosun.serverUrl() + "/api/openapi.json"))
                .build(),
            java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(openapi.statusCode()).isEqualTo(200);
    assertThat(openapi.body()).contains("\"openapi\"").contains("/api/projects/{project}/runs");
    assertThat(bosun.client().health().status()).isEqualTo("ok");
  }
}
