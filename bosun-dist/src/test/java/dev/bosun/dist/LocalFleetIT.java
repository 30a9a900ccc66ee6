package dev.bosun.dist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.bosun.api.RunInfo;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The core path end to end with real processes: the CLI starts a background server, which starts
 * the local agent, which runs the commands. Nothing is faked.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LocalFleetIT {
  private BosunHarness bosun;

  @BeforeAll
  void start() throws Exception {
    bosun = new BosunHarness();
  }

  @AfterAll
  void stop() throws Exception {
    bosun.close();
  }

  private Path task(String name, String body) throws Exception {
    return bosun.file(name + ".bosun.yml", "type: task\nname: " + name + "\n" + body);
  }

  @Test
  void helloRunStreamsItsOutputAndExitsZeroThenASecondApplyReusesTheServer() throws Exception {
    Path file =
        task(
            "hello",
            """
        env:
          - GREETING=hello from bosun
        commands:
          - echo "$GREETING"
          - echo "run=$BOSUN_RUN_NAME dstack=$DSTACK_RUN_NAME"
        """);
    BosunHarness.Result first = bosun.run("apply", "-y", "-f", file.toString());
    assertThat(first.code()).as(first.toString()).isZero();
    assertThat(first.out()).contains("hello from bosun").contains("run=hello dstack=hello");
    assertThat(first.out()).contains("Project").contains("main").contains("Where");
    long serverPid = bosun.serverPid().orElseThrow();

    BosunHarness.Result second = bosun.run("apply", "-y", "-f", file.toString());
    assertThat(second.code()).as(second.toString()).isZero();
    assertThat(second.err()).doesNotContain("Starting the Bosun server");
    assertThat(bosun.serverPid()).contains(serverPid);

    BosunHarness.Result ps = bosun.run("ps", "-a", "--json");
    assertThat(ps.code()).isZero();
    assertThat(ps.out()).contains("\"name\" : \"hello\"").contains("\"status\" : \"done\"");
  }

  @Test
  void failingCommandExitsOneAndSaysWhy() throws Exception {
    Path file = task("fails", "commands:\n  - echo about to fail\n  - exit 3\n");
    BosunHarness.Result result = bosun.run("apply", "-y", "-f", file.toString());
    assertThat(result.code()).as(result.toString()).isEqualTo(1);
    assertThat(result.out()).contains("about to fail");
    assertThat(result.err()).contains("failed").contains("exit status 3");
    RunInfo run = bosun.client().run("main", "fails");
    assertThat(run.status()).isEqualTo("failed");
    assertThat(run.terminationReason()).isEqualTo("container_exited_with_error");
    assertThat(run.exitStatus()).isEqualTo(3);
  }

  @Test
  void stopIsGracefulAndAbortKillsAtOnce() throws Exception {
    Path graceful =
        task(
            "graceful",
            """
        stop_duration: 20s
        commands:
          - trap 'echo got SIGTERM, cleaning up; exit 0' TERM; echo started; while true; do sleep 0.1; done
        """);
    assertThat(bosun.run("apply", "-y", "-d", "-f", graceful.toString()).code()).isZero();
    awaitStatus("graceful", "running");
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> bosun.run("logs", "graceful").out().contains("started"));
    BosunHarness.Result stop = bosun.run("stop", "graceful");
    assertThat(stop.code()).as(stop.toString()).isZero();
    RunInfo stopped = awaitFinished("graceful");
    assertThat(stopped.status()).isEqualTo("terminated");
    assertThat(stopped.terminationReason()).isEqualTo("stopped_by_user");
    assertThat(bosun.run("logs", "graceful").out()).contains("got SIGTERM, cleaning up");

    Path stubborn =
        task(
            "stubborn",
            """
        stop_duration: 5m
        commands:
          - trap '' TERM; echo started; while true; do sleep 0.1; done
        """);
    assertThat(bosun.run("apply", "-y", "-d", "-f", stubborn.toString()).code()).isZero();
    awaitStatus("stubborn", "running");
    assertThat(bosun.run("stop", "-x", "stubborn").code()).isZero();
    RunInfo aborted = awaitFinished("stubborn");
    assertThat(aborted.status()).isEqualTo("terminated");
    assertThat(aborted.terminationReason()).isEqualTo("aborted_by_user");

    BosunHarness.Result again = bosun.run("stop", "stubborn");
    assertThat(again.code()).isEqualTo(2);
    assertThat(again.err()).contains("already finished");
  }

  @Test
  void maxDurationStopsTheRun() throws Exception {
    Path file = task("bounded", "max_duration: 2s\nstop_duration: 1s\ncommands:\n  - sleep 60\n");
    BosunHarness.Result result = bosun.run("apply", "-y", "-f", file.toString());
    assertThat(result.code()).as(result.toString()).isEqualTo(1);
    RunInfo run = bosun.client().run("main", "bounded");
    assertThat(run.terminationReason()).isEqualTo("max_duration_exceeded");
    assertThat(Duration.between(run.startedAt(), run.finishedAt()))
        .isLessThan(Duration.ofSeconds(20));
  }

  @Test
  void runsWaitInTheQueueWhenTheHostIsFullAndStartWhenItFrees() throws Exception {
    int cpus = bosun.client().fleets("main").getFirst().instances().getFirst().resources().cpus();
    Path release = bosun.work.resolve("release-queue");
    String body =
        "resources:\n  cpu: "
            + cpus
            + "\n  memory: 1GB\ncommands:\n  - while [ ! -f "
            + release
            + " ]; do sleep 0.1; done\n  - echo finished\n";
    assertThat(bosun.run("apply", "-y", "-d", "-f", task("first-big", body).toString()).code())
        .isZero();
    awaitStatus("first-big", "running");
    assertThat(bosun.run("apply", "-y", "-d", "-f", task("second-big", body).toString()).code())
        .isZero();
    RunInfo waiting = awaitStatus("second-big", "pending");
    assertThat(waiting.reasonText()).isNotBlank();
    assertThat(waiting.queuePosition()).isEqualTo(1);
    BosunHarness.Result ps = bosun.run("ps");
    assertThat(ps.out()).contains("second-big").contains("pending").contains("#1 in queue; ");
    assertThat(bosun.client().run("main", "second-big").status()).isEqualTo("pending");
    java.nio.file.Files.writeString(release, "go");
    RunInfo first = awaitFinished("first-big");
    RunInfo second = awaitFinished("second-big");
    assertThat(second.status()).isEqualTo("done");
    assertThat(second.startedAt()).isAfterOrEqualTo(first.finishedAt().minusMillis(50));
  }

  @Test
  void retryOnErrorResubmitsTheRun() throws Exception {
    Path marker = bosun.work.resolve("retry-marker");
    Path file =
        task(
            "flaky",
            """
        retry:
          on_events: [error]
          duration: 1h
        commands:
          - if [ -f %s ]; then echo second attempt; else touch %s; echo first attempt; exit 1; fi
        """
                .formatted(marker, marker));
    BosunHarness.Result result = bosun.run("apply", "-y", "-f", file.toString());
    assertThat(result.code()).as(result.toString()).isZero();
    assertThat(result.out()).containsSubsequence("first attempt", "second attempt");
    assertThat(bosun.run("logs", "flaky").out())
        .containsSubsequence("first attempt", "second attempt");
    assertThat(bosun.client().run("main", "flaky").jobs()).hasSize(2);
  }

  @Test
  void fleetListsTheLocalInstance() throws Exception {
    BosunHarness.Result fleet = bosun.run("fleet");
    assertThat(fleet.code()).as(fleet.toString()).isZero();
    assertThat(fleet.out()).contains("local").contains("CPU");
    assertThat(bosun.run("fleet", "--json").out()).contains("\"kind\" : \"local\"");
  }

  @Test
  void deleteRemovesAFinishedRunButNotAnActiveOne() throws Exception {
    Path file = task("short-lived", "commands:\n  - echo bye\n");
    assertThat(bosun.run("apply", "-y", "-f", file.toString()).code()).isZero();
    assertThat(bosun.run("delete", "short-lived").code()).isZero();
    BosunHarness.Result gone = bosun.run("logs", "short-lived");
    assertThat(gone.code()).isEqualTo(2);
    assertThat(gone.err()).contains("no run named 'short-lived'");
  }

  @Test
  void workingDirShellAndLogFiltersApply() throws Exception {
    Path dir = java.nio.file.Files.createDirectories(bosun.work.resolve("somewhere"));
    Path file =
        task(
            "placed",
            "working_dir: "
                + dir
                + "\nshell: sh\ncommands:\n  - pwd\n  - echo \"bash=${BASH_VERSION:-none}\"\n");
    BosunHarness.Result result = bosun.run("apply", "-y", "-f", file.toString());
    assertThat(result.code()).as(result.toString()).isZero();
    assertThat(result.out())
        .as("sh on Debian is dash")
        .contains(dir.toString())
        .contains("bash=none");
    assertThat(bosun.run("logs", "placed", "--since", "1h").out()).contains(dir.toString());
    assertThat(bosun.run("logs", "placed", "--since", "2099-01-01T00:00:00Z").out()).isEmpty();
    assertThat(bosun.run("logs", "placed", "-t").out())
        .containsPattern("\\d{4}-\\d\\d-\\d\\dT\\S+ /");
    BosunHarness.Result badSince = bosun.run("logs", "placed", "--since", "yesterday");
    assertThat(badSince.code()).isEqualTo(2);
  }

  @Test
  void ctrlCDetachesWithoutStoppingTheRun() throws Exception {
    Path file = task("detachable", "commands:\n  - echo started; sleep 30\n");
    Process apply = bosun.start(Map.of(), "apply", "-y", "-f", file.toString());
    awaitStatus("detachable", "running");
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> bosun.run("logs", "detachable").out().contains("started"));
    new ProcessBuilder("kill", "-INT", String.valueOf(apply.pid())).start().waitFor();
    BosunHarness.Result detached = BosunHarness.await(apply, Duration.ofSeconds(30));
    assertThat(detached.err()).contains("Detached; the run keeps going");
    assertThat(bosun.client().run("main", "detachable").status()).isEqualTo("running");
    assertThat(bosun.run("stop", "-x", "detachable").code()).isZero();
    assertThat(awaitFinished("detachable").terminationReason()).isEqualTo("aborted_by_user");
  }

  RunInfo awaitStatus(String run, String status) {
    return await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(100))
        .ignoreException(dev.bosun.api.ApiException.class)
        .until(() -> bosun.client().run("main", run), info -> info.status().equals(status));
  }

  RunInfo awaitFinished(String run) {
    return await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> bosun.client().run("main", run), info -> info.finishedAt() != null);
  }

  @Test
  void backendsChooseTheKindOfFleet() throws Exception {
    Path local =
        task(
            "on-local",
            "backends: [local]\nresources: {cpu: 1, memory: 0.1GB}\ncommands: [echo here]\n");
    BosunHarness.Result ran = bosun.run("apply", "-y", "-f", local.toString());
    assertThat(ran.code()).as(ran.toString()).isZero();
    assertThat(ran.out()).contains("here");

    Path cloud = task("on-aws", "backends: [aws]\ncommands: [echo never]\n");
    BosunHarness.Result refused = bosun.run("apply", "-y", "-f", cloud.toString());
    assertThat(refused.code()).as(refused.toString()).isNotZero();
    assertThat(refused.out() + refused.err())
        .contains("no fleet this project may use is of backend aws")
        .contains("Bosun's backends are local (the server's machine) and ssh (SSH fleets)")
        .doesNotContain("never");
  }
}
