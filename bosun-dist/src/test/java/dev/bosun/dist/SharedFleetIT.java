package dev.bosun.dist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.bosun.api.ApiException;
import dev.bosun.api.ApplyRequest;
import dev.bosun.api.BosunClient;
import dev.bosun.api.CreateUserRequest;
import dev.bosun.api.FleetInfo;
import dev.bosun.api.RunInfo;
import dev.bosun.dist.hosts.TestHosts;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A fleet shared between two projects, with project weights deciding who gets the next GPU: one
 * real sshd host ({@link TestHosts}) whose only fake is its {@code nvidia-smi} stand-in (4×A100).
 * Project {@code team} owns the fleet and shares it with project {@code lab}; everything is driven
 * through the CLI and the API as an admin and as lab's member Carol.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SharedFleetIT {
  private static final String TASK =
      """
      type: task
      name: %s
      resources: {cpu: 0, memory: 0.1GB, gpu: 1}
      commands: ['sleep %d']
      """;

  private TestHosts hosts;
  private BosunHarness bosun;
  private BosunClient admin;
  private BosunClient carol;

  @BeforeAll
  void start() throws Exception {
    // Own prefix and subnet: other SSH ITs may run on this machine at the same time.
    hosts =
        TestHosts.builder().hosts(1).gpus("4xA100").prefix("bosun-s").subnet("10.77.51").start();
    bosun = new BosunHarness();
    BosunHarness.Result first = bosun.run("project"); // starts the server on first use
    assertThat(first.out()).contains("main");
    admin = bosun.client();
    String carolToken = admin.createUser(new CreateUserRequest("carol")).token();
    carol = new BosunClient(URI.create(bosun.serverUrl()), carolToken);
    assertThat(bosun.run("project", "create", "team").code()).isZero();
    assertThat(bosun.run("project", "create", "lab", "--member", "carol").code()).isZero();
    Path fleet =
        bosun.file(
            "four.bosun.yml",
            "type: fleet\nname: four\nssh_config:\n  user: %s\n  identity_file: %s\n  hosts:\n    - %s\n"
                .formatted(hosts.user(), hosts.privateKey(), hosts.host(1).ip()));
    BosunHarness.Result apply =
        bosun.run("apply", "-y", "-f", fleet.toString(), "--project", "team");
    assertThat(apply.code()).as(apply.toString()).isZero();
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

  @Test
  @Order(1)
  void aFleetIsUsableByAnotherProjectOnlyOnceShared() throws Exception {
    ApplyRequest probe = new ApplyRequest(TASK.formatted("probe", 0), "p.yml", Map.of(), null);
    assertThat(carol.plan("lab", probe).waitReason())
        .as("lab has no fleet of its own and none shared with it yet")
        .isNotNull();
    assertThatThrownBy(() -> carol.shareFleet("team", "four", "lab"))
        .as("Carol is not a member of team: she cannot share its fleet")
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.httpStatus()).isEqualTo(403));

    BosunHarness.Result share = bosun.run("fleet", "share", "four", "lab", "--project", "team");
    assertThat(share.code()).as(share.toString()).isZero();
    assertThat(share.out()).contains("team/four");
    FleetInfo seen = carol.fleets("lab").getFirst();
    assertThat(seen.name()).isEqualTo("team/four");
    assertThat(seen.owner()).isEqualTo("team");
    BosunHarness.Result listed = bosun.run("fleet", "--project", "team");
    assertThat(listed.out()).contains("four (shared with lab)");
    assertThatThrownBy(() -> carol.deleteFleet("lab", "team/four", false))
        .as("only the owner deletes a fleet")
        .isInstanceOf(ApiException.class);

    // Named as lab sees it, the fleet takes lab's run.
    RunInfo run =
        carol.apply(
            "lab",
            new ApplyRequest(
                TASK.formatted("probe", 0).replace("commands:", "fleets: [team/four]\ncommands:"),
                "p.yml",
                Map.of(),
                null));
    RunInfo done =
        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> carol.run("lab", run.name()), r -> r.finishedAt() != null);
    assertThat(done.status()).isEqualTo("done");
    assertThat(done.jobs().getFirst().instance()).isEqualTo(hosts.host(1).ip());
  }

  @Test
  @Order(2)
  void theProjectWithTheHigherWeightGetsTheNextGpu() throws Exception {
    assertThat(bosun.run("project", "set", "team", "--weight", "10").code()).isZero();
    BosunHarness.Result projects = bosun.run("project");
    assertThat(projects.out()).containsPattern("team\\s+10");
    // All four GPUs busy: lab holds one, team three (one ends after 4 s).
    carol.apply("lab", new ApplyRequest(TASK.formatted("lab-1", 14), "l.yml", Map.of(), null));
    for (int i = 1; i <= 3; i++) {
      admin.apply(
          "team",
          new ApplyRequest(TASK.formatted("team-" + i, i == 1 ? 4 : 14), "t.yml", Map.of(), null));
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                carol.runs("lab", false).stream().filter(r -> r.status().equals("running")).count()
                        + admin.runs("team", false).stream()
                            .filter(r -> r.status().equals("running"))
                            .count()
                    == 4);
    // Lab queues first and holds less; team's weight of 10 still gives team the next GPU
    // (team holds 3 of its 10 shares, lab 1 of 1). Equal weights or FIFO would start lab-2 first.
    carol.apply("lab", new ApplyRequest(TASK.formatted("lab-2", 1), "l.yml", Map.of(), null));
    admin.apply("team", new ApplyRequest(TASK.formatted("team-4", 1), "t.yml", Map.of(), null));
    var plan =
        carol.plan("lab", new ApplyRequest(TASK.formatted("lab-3", 1), "l.yml", Map.of(), null));
    assertThat(plan.instance()).as("all four GPUs are busy").isNull();
    assertThat(plan.queuePosition()).as("behind lab-2 in lab's queue").isEqualTo(2);
    RunInfo team4 =
        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> admin.run("team", "team-4"), r -> r.finishedAt() != null);
    RunInfo lab2 =
        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> carol.run("lab", "lab-2"), r -> r.finishedAt() != null);
    assertThat(team4.status()).isEqualTo("done");
    assertThat(lab2.status()).isEqualTo("done");
    Instant teamStart = team4.jobs().getFirst().startedAt();
    Instant labStart = lab2.jobs().getFirst().startedAt();
    assertThat(teamStart)
        .as("team-4 (weight 10) starts before lab-2 (weight 1)")
        .isBefore(labStart);
  }

  @Test
  @Order(3)
  void anUnsharedFleetTakesNoNewRunsOfTheOtherProject() throws Exception {
    BosunHarness.Result unshare = bosun.run("fleet", "unshare", "four", "lab", "--project", "team");
    assertThat(unshare.code()).as(unshare.toString()).isZero();
    assertThat(carol.fleets("lab")).isEmpty();
    RunInfo waiting =
        carol.apply(
            "lab",
            new ApplyRequest(
                TASK.formatted("after", 0)
                    .replace("commands:", "retry: {on_events: [no-capacity]}\ncommands:"),
                "a.yml",
                Map.of(),
                null));
    RunInfo pending =
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> carol.run("lab", waiting.name()), r -> r.status().equals("pending"));
    assertThat(pending.jobs().getFirst().instance()).isNull();
    carol.stop("lab", waiting.name(), true);
    BosunHarness.Result again = bosun.run("fleet", "unshare", "four", "lab", "--project", "team");
    assertThat(again.code()).isNotZero();
    assertThat(again.err()).contains("not shared with project 'lab'");
  }
}
