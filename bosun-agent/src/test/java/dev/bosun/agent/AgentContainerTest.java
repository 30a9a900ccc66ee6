package dev.bosun.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.bosun.agent.docker.ContainerInfo;
import dev.bosun.agent.docker.DockerClient;
import dev.bosun.agent.docker.TestDockerd;
import dev.bosun.api.agent.JobContainer;
import dev.bosun.api.agent.JobState;
import dev.bosun.api.agent.StopRequest;
import dev.bosun.model.state.JobStatus;
import dev.bosun.model.state.TerminationReason;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Container jobs on a real, private dockerd ({@link TestDockerd}) with a busybox image built here
 * (no registry is reachable): output and exit status, environment, user and working directory,
 * mounts, published ports, stop, max_duration, bad images, volumes and users, and an agent restart
 * in the middle of a container job.
 */
class AgentContainerTest {
  private static final String IMAGE = "bosun-test/busybox:1";
  private static TestDockerd dockerd;

  @TempDir Path temp;
  private TestAgent agent;

  @BeforeAll
  static void startDocker() {
    dockerd = TestDockerd.start();
  }

  @AfterAll
  static void stopDocker() {
    if (dockerd != null) {
      dockerd.close();
    }
  }

  private Map<String, String> environment() {
    Map<String, String> env = new HashMap<>(System.getenv());
    env.put("DOCKER_HOST", dockerd.dockerHost());
    env.put("BOSUN_DOCKER_NETWORK", dockerd.bridgeNetwork());
    return env;
  }

  @BeforeEach
  void start() {
    agent =
        TestAgent.start(AgentOptions.defaults(temp.resolve("data")).withEnvironment(environment()));
  }

  @AfterEach
  void stop() {
    if (agent != null) {
      agent.close();
    }
  }

  private static JobContainer image(String image) {
    return new JobContainer(
        image, null, null, false, null, null, List.of(), null, false, List.of(), 20);
  }

  private static JobContainer withMounts(List<JobContainer.Mount> mounts) {
    return new JobContainer(
        IMAGE, null, null, false, null, null, mounts, null, false, List.of(), 20);
  }

  @Test
  void theAgentReportsDockerAndAContainerJobRunsWithItsOutputAndExitStatus() {
    var containers = agent.handle.resources().containers();
    assertThat(containers.available()).isTrue();
    assertThat(containers.version()).isNotBlank();

    agent.client.submit(
        TestAgent.job("out", "echo to stdout", "echo to stderr >&2", "exit 3")
            .container(image(IMAGE))
            .build());
    JobState done = agent.awaitFinished("out");
    assertThat(done.status()).isEqualTo(JobStatus.FAILED);
    assertThat(done.terminationReason()).isEqualTo(TerminationReason.CONTAINER_EXITED_WITH_ERROR);
    assertThat(done.exitStatus()).isEqualTo(3);
    assertThat(agent.logTexts("out")).containsExactlyInAnyOrder("to stdout", "to stderr");
    assertThat(dockerd.client().listContainers(Map.of(ContainerJobs.LABEL_JOB, "out")))
        .as("the container is removed once its output is in the job's log")
        .isEmpty();
  }

  @Test
  void envUserAndWorkingDirReachTheContainerAndHostGpuNumbersDoNot() {
    agent.client.submit(
        TestAgent.job(
                "who",
                "echo \"$GREETING $(id -u) $(pwd) [$CUDA_VISIBLE_DEVICES] $NVIDIA_VISIBLE_DEVICES\"")
            .env("GREETING", "hello")
            .env("CUDA_VISIBLE_DEVICES", "5")
            .workingDir("/home/app/work")
            .container(
                new JobContainer(
                    IMAGE, null, "app", false, null, null, List.of(), null, false, List.of(), 20))
            .build());
    assertThat(agent.awaitFinished("who").status()).isEqualTo(JobStatus.DONE);
    assertThat(agent.logTexts("who")).containsExactly("hello 1000 /home/app/work [] void");
  }

  @Test
  void aVolumeWrittenInTheContainerIsReadOnTheHostAndAMissingOneFailsTheJob() throws Exception {
    Path shared = Files.createDirectories(temp.resolve("shared"));
    agent.client.submit(
        TestAgent.job("writer", "echo written-inside > /data/out.txt")
            .container(
                withMounts(
                    List.of(
                        new JobContainer.Mount(shared.toString(), "/data", false),
                        new JobContainer.Mount("/nonexistent/opt", "/opt/extra", true))))
            .build());
    assertThat(agent.awaitFinished("writer").status()).isEqualTo(JobStatus.DONE);
    assertThat(Files.readString(shared.resolve("out.txt"))).isEqualTo("written-inside\n");

    agent.client.submit(
        TestAgent.job("no-volume", "true")
            .container(
                withMounts(List.of(new JobContainer.Mount("/nonexistent/data", "/data", false))))
            .build());
    JobState failed = agent.awaitFinished("no-volume");
    assertThat(failed.terminationReason()).isEqualTo(TerminationReason.VOLUME_ERROR);
    assertThat(failed.message())
        .isEqualTo(
            "volume /nonexistent/data:/data: /nonexistent/data does not exist on this host;"
                + " create it, or mark the volume optional");
  }

  @Test
  void aPublishedPortIsReachableOnLoopback() throws Exception {
    agent.client.submit(
        TestAgent.job(
                "web", "mkdir -p /www && echo served > /www/index.html && httpd -f -p 8080 -h /www")
            .container(
                new JobContainer(
                    IMAGE,
                    null,
                    null,
                    false,
                    null,
                    null,
                    List.of(),
                    null,
                    false,
                    List.of(8080),
                    20))
            .build());
    agent.awaitState("web", state -> state.status() == JobStatus.RUNNING);
    DockerClient docker = dockerd.client();
    ContainerInfo info = docker.inspectContainer("bosun-web");
    var port = info.hostPort(8080).orElseThrow();
    assertThat(port.hostIp()).isEqualTo("127.0.0.1");
    HttpClient http = HttpClient.newHttpClient();
    String body =
        await()
            .atMost(Duration.ofSeconds(20))
            .ignoreExceptions()
            .until(
                () ->
                    http.send(
                            HttpRequest.newBuilder(
                                    URI.create("http://127.0.0.1:" + port.hostPort() + "/"))
                                .build(),
                            HttpResponse.BodyHandlers.ofString())
                        .body(),
                text -> text.equals("served\n"));
    assertThat(body).isEqualTo("served\n");
    agent.client.stop("web", new StopRequest(true, null));
    assertThat(agent.awaitFinished("web").terminationReason())
        .isEqualTo(TerminationReason.ABORTED_BY_USER);
  }

  @Test
  void stopEndsTheContainerGracefullyAndMaxDurationEndsIt() {
    agent.client.submit(
        TestAgent.job("sleeper", "echo up", "sleep 1000")
            .container(image(IMAGE))
            .stopDuration(2)
            .build());
    agent.awaitState("sleeper", state -> state.status() == JobStatus.RUNNING);
    long asked = System.nanoTime();
    agent.client.stop("sleeper", new StopRequest(false, null));
    JobState stopped = agent.awaitFinished("sleeper");
    assertThat(stopped.terminationReason()).isEqualTo(TerminationReason.STOPPED_BY_USER);
    assertThat(Duration.ofNanos(System.nanoTime() - asked)).isLessThan(Duration.ofSeconds(15));

    agent.client.submit(
        TestAgent.job("bounded", "sleep 1000")
            .container(image(IMAGE))
            .maxDuration(1)
            .stopDuration(1)
            .build());
    assertThat(agent.awaitFinished("bounded").terminationReason())
        .isEqualTo(TerminationReason.MAX_DURATION_EXCEEDED);
  }

  @Test
  void aMissingImageAndAMissingUserGiveClearReasons() {
    agent.client.submit(
        TestAgent.job("absent", "true")
            .container(image("127.0.0.1:1/bosun-test/absent:1"))
            .build());
    JobState absent = agent.awaitFinished("absent");
    assertThat(absent.terminationReason()).isEqualTo(TerminationReason.CREATING_CONTAINER_ERROR);
    assertThat(absent.message()).startsWith("cannot run image 127.0.0.1:1/bosun-test/absent:1: ");
    assertThat(agent.logTexts("absent").getFirst()).startsWith("bosun-agent: cannot run image");

    agent.client.submit(
        TestAgent.job("nobody", "true")
            .container(
                new JobContainer(
                    IMAGE, null, "ghost", false, null, null, List.of(), null, false, List.of(), 20))
            .build());
    JobState nobody = agent.awaitFinished("nobody");
    assertThat(nobody.terminationReason()).isEqualTo(TerminationReason.CREATING_CONTAINER_ERROR);
    assertThat(nobody.message()).isEqualTo("user 'ghost' does not exist in image " + IMAGE);
  }

  @Test
  void aRestartedAgentFollowsItsRunningContainerWithEveryLineOnce() {
    agent.client.submit(
        TestAgent.job("survivor", "for i in $(seq 1 30); do echo line $i; sleep 0.1; done")
            .container(image(IMAGE))
            .build());
    await().atMost(TestAgent.TIMEOUT).until(() -> agent.logTexts("survivor").contains("line 5"));
    agent.close();
    agent = null;
    agent =
        TestAgent.start(AgentOptions.defaults(temp.resolve("data")).withEnvironment(environment()));
    JobState finished = agent.awaitFinished("survivor");
    assertThat(finished.status()).isEqualTo(JobStatus.DONE);
    assertThat(agent.logTexts("survivor"))
        .containsExactlyElementsOf(
            java.util.stream.IntStream.rangeClosed(1, 30).mapToObj(i -> "line " + i).toList());
  }

  @Test
  void aPrivateImageNeedsItsCredentialsAndPullsWithThem() throws Exception {
    try (var registry = dev.bosun.agent.docker.FakeRegistry.withLogin("alice", "s3cret")) {
      String image = registry.serve("team/private", "1", dockerd.imageTar(), false);
      agent.client.submit(TestAgent.job("anonymous", "true").container(image(image)).build());
      JobState anonymous = agent.awaitFinished("anonymous");
      assertThat(anonymous.terminationReason())
          .isEqualTo(TerminationReason.CREATING_CONTAINER_ERROR);
      assertThat(anonymous.message()).endsWith("; the image may be private: give registry_auth");

      agent.client.submit(
          TestAgent.job("wrong", "true").container(withAuth(image, "alice", "wrong")).build());
      JobState wrong = agent.awaitFinished("wrong");
      assertThat(wrong.message()).contains("unauthorized").endsWith("; check registry_auth");
      assertThat(wrong.message()).doesNotContain("wrong");

      agent.client.submit(
          TestAgent.job("pulled", "echo pulled-and-ran")
              .container(withAuth(image, "alice", "s3cret"))
              .build());
      assertThat(agent.awaitFinished("pulled").status()).isEqualTo(JobStatus.DONE);
      assertThat(agent.logTexts("pulled")).containsExactly("pulled-and-ran");
    }
  }

  private static JobContainer withAuth(String image, String user, String password) {
    return new JobContainer(
        image, null, null, false, user, password, List.of(), null, false, List.of(), 20);
  }

  @Test
  void aHostNetworkJobWhosePortIsTakenFailsWithPortsBindingFailed() throws Exception {
    try (java.net.ServerSocket taken = new java.net.ServerSocket(0)) {
      int port = taken.getLocalPort();
      agent.client.submit(
          TestAgent.job("clash", "true")
              .container(
                  new JobContainer(
                      IMAGE,
                      null,
                      null,
                      false,
                      null,
                      null,
                      List.of(),
                      null,
                      true,
                      List.of(port),
                      20))
              .build());
      JobState clash = agent.awaitFinished("clash");
      assertThat(clash.terminationReason()).isEqualTo(TerminationReason.PORTS_BINDING_FAILED);
      assertThat(clash.message()).startsWith("port " + port + " is already taken on this host");
    }
  }

  @Test
  void theJobsFilesAreCopiedIntoTheContainer() {
    agent.client.submit(
        new dev.bosun.api.agent.JobSpec(
            "files",
            "run-files",
            List.of("cat \"$BOSUN_MPI_HOSTFILE\"", "ls -ld /run/bosun"),
            null,
            Map.of(),
            null,
            List.of(),
            List.of(),
            1,
            512,
            null,
            5,
            Map.of("BOSUN_MPI_HOSTFILE", "10.0.0.1 slots=8\n10.0.0.2 slots=8\n"),
            image(IMAGE)));
    assertThat(agent.awaitFinished("files").status()).isEqualTo(JobStatus.DONE);
    List<String> lines = agent.logTexts("files");
    assertThat(lines).startsWith("10.0.0.1 slots=8", "10.0.0.2 slots=8");
    assertThat(lines.get(2)).startsWith("drwxr-xr-x");
  }
}
