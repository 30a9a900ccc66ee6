package dev.bosun.agent.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The container life cycle against a real, private dockerd ({@link TestDockerd}). */
class DockerClientTest {
  private static final Logger LOG = LoggerFactory.getLogger(DockerClientTest.class);
  private static TestDockerd dockerd;
  private static DockerClient docker;

  @BeforeAll
  static void up() {
    dockerd = TestDockerd.start();
    docker = dockerd.client();
  }

  @AfterAll
  static void down() {
    if (dockerd != null) {
      dockerd.close();
    }
  }

  private static ContainerSpec.Builder busybox(String... command) {
    return ContainerSpec.builder(BusyboxImage.REFERENCE).command(command).networkMode("none");
  }

  @Test
  void describesTheDaemon() {
    docker.ping();
    DockerHost host = docker.host();
    assertThat(host.serverVersion()).isNotBlank();
    assertThat(Double.parseDouble(host.apiVersion())).isGreaterThanOrEqualTo(1.41);
    assertThat(host.runtimes()).contains("runc");
    assertThat(host.defaultRuntime()).isEqualTo("runc");
    assertThat(host.gpuSupport()).isFalse(); // no NVIDIA Container Toolkit here
    assertThat(host.memoryBytes()).isPositive();
    assertThat(host.cpus()).isPositive();
    assertThat(docker.inspectImage(BusyboxImage.REFERENCE))
        .get()
        .satisfies(image -> assertThat(image.repoTags()).contains(BusyboxImage.REFERENCE));
    assertThat(docker.inspectImage("bosun-test/absent:1")).isEmpty();
  }

  @Test
  void separatesStdoutFromStderrAndReturnsTheExitStatus() {
    ContainerSpec spec =
        busybox(
                "sh",
                "-c",
                "echo out-1; echo err-1 >&2; echo out-2; printf 'no newline' >&2; exit 3")
            .build();
    long started = System.nanoTime();
    String id = docker.createContainer(spec);
    long created = System.nanoTime();
    docker.startContainer(id);
    long running = System.nanoTime();
    LOG.info(
        "Container create {} ms, start {} ms",
        (created - started) / 1_000_000,
        (running - created) / 1_000_000);

    assertThat(docker.waitContainer(id)).isEqualTo(3);
    ContainerRun.Output output = ContainerRun.Output.of(docker, id, LogOptions.written());
    assertThat(output.stdout()).isEqualTo("out-1\nout-2\n");
    assertThat(output.stderr()).isEqualTo("err-1\nno newline");
    ContainerInfo info = docker.inspectContainer(id);
    assertThat(info.state().status()).isEqualTo("exited");
    assertThat(info.state().exitCode()).isEqualTo(3);
    assertThat(info.state().hasExited()).isTrue();
    // both set; for a container this short Docker may record FinishedAt a little before StartedAt
    assertThat(info.state().startedAt()).isNotNull();
    assertThat(info.state().finishedAt()).isNotNull();
    assertThat(docker.waitContainer(id)).as("waiting again returns at once").isEqualTo(3);
  }

  @Test
  void followingLogsDeliversOutputWhileTheContainerRuns() throws Exception {
    String id =
        docker.createContainer(busybox("sh", "-c", "echo first; sleep 1.5; echo second").build());
    docker.startContainer(id);
    CountDownLatch first = new CountDownLatch(1);
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    CompletableFuture<Void> following =
        CompletableFuture.runAsync(
            () ->
                docker.logs(
                    id,
                    LogOptions.following(),
                    (stream, data, offset, length) -> {
                      all.write(data, offset, length);
                      if (all.toString(StandardCharsets.UTF_8).contains("first")) {
                        first.countDown();
                      }
                    }));
    assertThat(first.await(5, TimeUnit.SECONDS)).as("first line arrives early").isTrue();
    assertThat(following).as("still following while the container sleeps").isNotDone();
    following.get(10, TimeUnit.SECONDS); // ends with the container
    assertThat(all.toString(StandardCharsets.UTF_8)).isEqualTo("first\nsecond\n");
  }

  @Test
  void aTerminalMergesTheStreams() {
    ContainerRun run =
        ContainerRun.run(
            docker, busybox("sh", "-c", "echo to-out; echo to-err >&2").tty(true).build());
    assertThat(run.stdout()).contains("to-out").contains("to-err");
    assertThat(run.stderr()).isEmpty();
  }

  @Test
  void setsEnvironmentWorkingDirectoryAndUser() {
    ContainerRun run =
        ContainerRun.run(
            docker,
            busybox("sh", "-c", "echo \"$GREETING|$SECOND\"; pwd; id -u; id -un")
                .env("GREETING", "hello world")
                .env("SECOND", "a=b")
                .workingDir("/home/app")
                .user("app")
                .build());
    assertThat(run.exitCode()).isZero();
    assertThat(run.stdout().lines()).containsExactly("hello world|a=b", "/home/app", "1000", "app");
  }

  @Test
  void findsContainersByLabel() {
    String run = "run-" + UUID.randomUUID();
    String a =
        docker.createContainer(
            busybox("true").label("bosun.run", run).label("bosun.job", "0").build());
    String b =
        docker.createContainer(
            busybox("true").label("bosun.run", run).label("bosun.job", "1").build());
    docker.createContainer(busybox("true").label("bosun.run", "other").build());
    docker.startContainer(b);
    docker.waitContainer(b);

    List<ContainerSummary> found = docker.listContainers(Map.of("bosun.run", run));
    assertThat(found).extracting(ContainerSummary::id).containsExactlyInAnyOrder(a, b);
    assertThat(found)
        .extracting(ContainerSummary::state)
        .containsExactlyInAnyOrder("created", "exited");
    assertThat(docker.listContainers(Map.of("bosun.run", run, "bosun.job", "1")))
        .extracting(ContainerSummary::id)
        .containsExactly(b);
    assertThat(docker.inspectContainer(a).labels())
        .containsEntry("bosun.run", run)
        .containsEntry("bosun.job", "0");
  }

  @Test
  void bindMountsAreWritableOrReadOnly(@TempDir Path dir) throws Exception {
    Path data = Files.createDirectories(dir.resolve("data"));
    Path config = Files.createDirectories(dir.resolve("config"));
    Files.writeString(config.resolve("settings"), "from the host\n");
    ContainerRun run =
        ContainerRun.run(
            docker,
            busybox(
                    "sh",
                    "-c",
                    "cat /config/settings; echo written > /data/out.txt; touch /config/x || echo read-only")
                .name("binds-" + UUID.randomUUID().toString().substring(0, 8))
                .bind(data.toString(), "/data", false)
                .bind(config.toString(), "/config", true)
                .build());
    assertThat(run.stdout()).isEqualTo("from the host\nread-only\n");
    assertThat(Files.readString(data.resolve("out.txt"))).isEqualTo("written\n");
    assertThat(config.resolve("x")).doesNotExist();
  }

  @Test
  void stopSendsSigtermThroughInitThenSigkill() {
    String polite = docker.createContainer(busybox("sleep", "1000").build());
    String stubborn =
        docker.createContainer(
            busybox("sh", "-c", "trap '' TERM; sleep 1000 & wait; sleep 1000").build());
    docker.startContainer(polite);
    docker.startContainer(stubborn);
    assertThat(docker.inspectContainer(polite).state().running()).isTrue();

    long started = System.nanoTime();
    docker.stopContainer(polite, Duration.ofSeconds(10));
    Duration politeStop = Duration.ofNanos(System.nanoTime() - started);
    ContainerInfo.State state = docker.inspectContainer(polite).state();
    assertThat(state.running()).isFalse();
    assertThat(state.exitCode()).as("sleep ended by SIGTERM").isEqualTo(143);
    assertThat(politeStop).as("SIGTERM reached sleep at once").isLessThan(Duration.ofSeconds(5));

    started = System.nanoTime();
    docker.stopContainer(stubborn, Duration.ofSeconds(1));
    Duration stubbornStop = Duration.ofNanos(System.nanoTime() - started);
    assertThat(docker.inspectContainer(stubborn).state().exitCode())
        .as("SIGKILL after the grace")
        .isEqualTo(137);
    assertThat(stubbornStop).isBetween(Duration.ofMillis(900), Duration.ofSeconds(8));
    LOG.info(
        "Stop: SIGTERM {} ms, SIGKILL after 1 s grace {} ms",
        politeStop.toMillis(),
        stubbornStop.toMillis());

    docker.stopContainer(polite, Duration.ofSeconds(1)); // stopping again is fine
  }

  @Test
  void killAndRemoveAreIdempotent() {
    String id = docker.createContainer(busybox("sleep", "1000").build());
    docker.startContainer(id);
    docker.killContainer(id, "SIGKILL");
    assertThat(docker.waitContainer(id)).isEqualTo(137);
    docker.killContainer(id, "SIGKILL"); // not running any more: fine
    docker.removeContainer(id);
    docker.removeContainer(id); // gone already: fine
    assertThatThrownBy(() -> docker.inspectContainer(id))
        .isInstanceOfSatisfying(DockerException.class, e -> assertThat(e.isNotFound()).isTrue())
        .hasMessageContaining("No such container");
  }

  @Test
  void refusalsCarryDockersMessage() {
    assertThatThrownBy(
            () -> docker.createContainer(ContainerSpec.builder("bosun-test/absent:1").build()))
        .isInstanceOfSatisfying(DockerException.class, e -> assertThat(e.status()).isEqualTo(404))
        .hasMessageContaining("No such image: bosun-test/absent:1");
    String name = "dup-" + UUID.randomUUID().toString().substring(0, 8);
    docker.createContainer(busybox("true").name(name).build());
    assertThatThrownBy(() -> docker.createContainer(busybox("true").name(name).build()))
        .isInstanceOfSatisfying(DockerException.class, e -> assertThat(e.isConflict()).isTrue())
        .hasMessageContaining("is already in use");
    String withoutInit = docker.createContainer(busybox("/no/such/binary").init(false).build());
    assertThatThrownBy(() -> docker.startContainer(withoutInit))
        .isInstanceOf(DockerException.class)
        .hasMessageContaining("/no/such/binary");
  }

  @Test
  void underInitAMissingCommandIsAnExitStatusNotAStartError() {
    // docker-init (tini) is the process Docker starts; it reports the failed exec itself
    ContainerRun run = ContainerRun.run(docker, busybox("/no/such/binary").build());
    assertThat(run.exitCode()).isEqualTo(127);
    assertThat(run.stderr()).contains("exec /no/such/binary failed");
  }
}
