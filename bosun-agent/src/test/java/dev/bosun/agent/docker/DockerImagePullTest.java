package dev.bosun.agent.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Image pulls against a private dockerd, from {@link FakeRegistry} on loopback (no real registry is
 * reachable from the test machines, and tests send nothing off the machine).
 */
class DockerImagePullTest {
  private static final Logger LOG = LoggerFactory.getLogger(DockerImagePullTest.class);
  private static final Duration PULL_TIMEOUT = Duration.ofSeconds(30);
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

  @Test
  void pullsWithCredentialsAndReportsProgress() throws Exception {
    try (FakeRegistry registry = FakeRegistry.withLogin("alice", "s3cret")) {
      String image = registry.serve("team/app", "1", dockerd.imageTar(), false);
      List<PullProgress> events = new CopyOnWriteArrayList<>();
      long started = System.nanoTime();
      docker.pullImage(
          image,
          new RegistryAuth("alice", "s3cret", registry.address()),
          PULL_TIMEOUT,
          events::add);
      LOG.info(
          "Pulled {} from the fake registry in {} ms, {} progress events",
          image,
          (System.nanoTime() - started) / 1_000_000,
          events.size());

      assertThat(events)
          .extracting(PullProgress::status)
          .contains("Pulling fs layer", "Pull complete");
      assertThat(events)
          .anySatisfy(
              event -> {
                assertThat(event.status()).isIn("Downloading", "Extracting");
                assertThat(event.total()).isPositive();
                assertThat(event.current()).isPositive();
              });
      assertThat(events.getLast().status()).contains("Downloaded newer image for " + image);
      String basic =
          "Basic "
              + Base64.getEncoder().encodeToString("alice:s3cret".getBytes(StandardCharsets.UTF_8));
      assertThat(registry.authorizations()).contains(basic);
      assertThat(docker.inspectImage(image)).isPresent();

      ContainerRun run =
          ContainerRun.run(
              docker,
              ContainerSpec.builder(image)
                  .command("echo", "from the pulled image")
                  .networkMode("none")
                  .build());
      assertThat(run.stdout()).isEqualTo("from the pulled image\n");
    }
  }

  @Test
  void wrongOrMissingCredentialsAreUnauthorized() throws Exception {
    try (FakeRegistry registry = FakeRegistry.withLogin("alice", "s3cret")) {
      String image = registry.serve("team/private", "1", dockerd.imageTar(), false);
      assertThatThrownBy(
              () ->
                  docker.pullImage(
                      image,
                      new RegistryAuth("alice", "wrong", registry.address()),
                      PULL_TIMEOUT,
                      event -> {}))
          .isInstanceOf(DockerException.class)
          .hasMessageStartingWith("cannot pull " + image + ": ")
          .hasMessageContaining("unauthorized")
          .satisfies(DockerImagePullTest::log);
      assertThatThrownBy(() -> docker.pullImage(image, null, PULL_TIMEOUT, event -> {}))
          .isInstanceOf(DockerException.class)
          .hasMessageContaining("no basic auth credentials")
          .satisfies(DockerImagePullTest::log);
      assertThat(docker.inspectImage(image)).isEmpty();
    }
  }

  @Test
  void anUnknownTagIsManifestUnknown() throws Exception {
    try (FakeRegistry registry = FakeRegistry.open()) {
      registry.serve("team/app", "1", dockerd.imageTar(), false);
      String missing = registry.address() + "/team/app:2";
      assertThatThrownBy(() -> docker.pullImage(missing, null, PULL_TIMEOUT, event -> {}))
          .isInstanceOfSatisfying(
              DockerException.class,
              e -> assertThat(e.kind()).isEqualTo(DockerException.Kind.REJECTED))
          .hasMessageContaining("manifest unknown")
          .satisfies(DockerImagePullTest::log);
    }
  }

  @Test
  void aFailureAfterThePullBeganComesFromTheStream() throws Exception {
    try (FakeRegistry registry = FakeRegistry.open()) {
      String image = registry.serve("team/broken", "1", dockerd.imageTar(), true);
      List<PullProgress> events = new ArrayList<>();
      assertThatThrownBy(() -> docker.pullImage(image, null, PULL_TIMEOUT, events::add))
          .isInstanceOfSatisfying(
              DockerException.class,
              e -> assertThat(e.kind()).isEqualTo(DockerException.Kind.FAILED))
          .hasMessageStartingWith("cannot pull " + image + ": ")
          .hasMessageContaining("verification failed")
          .satisfies(DockerImagePullTest::log);
      assertThat(events).extracting(PullProgress::status).contains("Pulling fs layer");
    }
  }

  @Test
  void anUnreachableRegistryGivesDockersConnectionError() {
    String image = "127.0.0.1:1/bosun-test/absent:1";
    assertThatThrownBy(() -> docker.pullImage(image, null, PULL_TIMEOUT, event -> {}))
        .isInstanceOf(DockerException.class)
        .hasMessageStartingWith("cannot pull " + image + ": ")
        .hasMessageContaining("connection refused")
        .satisfies(DockerImagePullTest::log);
  }

  @Test
  void aPullThatHangsEndsAtItsTimeout() throws Exception {
    // accepts connections and never answers: Docker waits for the TLS handshake, then for HTTP
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      List<Socket> accepted = new CopyOnWriteArrayList<>();
      Thread.ofVirtual()
          .start(
              () -> {
                try {
                  while (true) {
                    accepted.add(silent.accept());
                  }
                } catch (java.io.IOException e) {
                  // closed
                }
              });
      String image = "127.0.0.1:" + silent.getLocalPort() + "/team/slow:1";
      long started = System.nanoTime();
      assertThatThrownBy(() -> docker.pullImage(image, null, Duration.ofSeconds(2), event -> {}))
          .isInstanceOfSatisfying(
              DockerException.class,
              e -> assertThat(e.kind()).isEqualTo(DockerException.Kind.TIMEOUT))
          .hasMessage("pulling " + image + " did not finish within 2 s");
      Duration took = Duration.ofNanos(System.nanoTime() - started);
      assertThat(took).isBetween(Duration.ofMillis(1900), Duration.ofSeconds(4));
      assertThat(accepted).as("Docker did try the registry").isNotEmpty();
      for (Socket socket : accepted) {
        socket.close();
      }
    }
    docker.ping(); // the daemon is fine afterwards
  }

  private static void log(Throwable e) {
    LOG.info("As expected: {}", e.getMessage());
  }
}
