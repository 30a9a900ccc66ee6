package dev.bosun.dist;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bosun.agent.docker.TestDockerd;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Runs with {@code image:} on the local fleet, through the real CLI, server and agent, in a real
 * private dockerd ({@link TestDockerd}, images built from busybox here: no registry is reachable).
 * The local host gets two GPUs from an {@code nvidia-smi} stand-in — the only fake — so that a GPU
 * container run meets a Docker without the NVIDIA runtime.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ContainerIT {
  private static final String IMAGE = "bosun-test/busybox:1";
  private TestDockerd dockerd;
  private BosunHarness bosun;

  @BeforeAll
  void start() throws Exception {
    dockerd = TestDockerd.start();
    bosun = new BosunHarness();
    Path bin = Files.createDirectories(bosun.work.resolve("fake-bin"));
    Path smi = bin.resolve("nvidia-smi");
    Files.writeString(
        smi,
        """
        #!/bin/sh
        cat <<'OUT'
        0, GPU-8f7e2a6c-1b3d-4e5f-9a0b-1c2d3e4f5a6b, NVIDIA H100 80GB HBM3, 81559, 550.54.15
        1, GPU-2a3b4c5d-6e7f-8a9b-0c1d-2e3f4a5b6c7d, NVIDIA H100 80GB HBM3, 81559, 550.54.15
        OUT
        """);
    Files.setPosixFilePermissions(smi, PosixFilePermissions.fromString("rwxr-xr-x"));
    bosun
        .withPathPrefix(bin)
        .withEnv("DOCKER_HOST", dockerd.dockerHost())
        .withEnv("BOSUN_DOCKER_NETWORK", dockerd.bridgeNetwork())
        .withEnv("BOSUN_PYTHON_IMAGE", IMAGE); // python: runs use the local busybox image
  }

  @AfterAll
  void stop() throws Exception {
    if (bosun != null) {
      bosun.close();
    }
    if (dockerd != null) {
      dockerd.close();
    }
  }

  @Test
  @Order(1)
  void aTaskRunsInItsImageWithItsOutputAndExitStatus() throws Exception {
    Path file =
        bosun.file(
            "hello.bosun.yml",
            """
            type: task
            name: hello
            image: %s
            env:
              - GREETING=hello
            resources: {cpu: 1, memory: 0.2GB}
            commands:
              - echo "$GREETING from $(cat /etc/hostname | wc -c) $BOSUN_RUN_NAME"
              - exit 4
            """
                .formatted(IMAGE));
    BosunHarness.Result apply = bosun.run("apply", "-y", "-f", file.toString());
    assertThat(apply.code()).as(apply.toString()).isEqualTo(1);
    assertThat(apply.out()).contains("hello from 13 hello");
    BosunHarness.Result ps = bosun.run("ps", "-a");
    assertThat(ps.out()).containsPattern("hello\\s+failed");
    assertThat(ps.out()).contains("exit status 4");

    BosunHarness.Result fleet = bosun.run("fleet");
    assertThat(fleet.out()).contains("DOCKER").contains(" (no GPUs)");
    assertThat(fleet.out()).contains("has no nvidia runtime");
  }

  @Test
  @Order(2)
  void pythonRunsInTheServersPythonImage() throws Exception {
    Path file =
        bosun.file(
            "py.bosun.yml",
            "type: task\nname: py\npython: \"3.12\"\nresources: {cpu: 1, memory: 0.2GB}\n"
                + "commands: ['test -x /bin/busybox && echo in-the-image']\n");
    BosunHarness.Result apply = bosun.run("apply", "-y", "-f", file.toString());
    assertThat(apply.code()).as(apply.toString()).isZero();
    assertThat(apply.out()).contains("in-the-image");
  }

  @Test
  @Order(2)
  void twoReplicasOfAServiceInContainersShareTheOneHostAndTheTraffic() throws Exception {
    // Each replica listens on port 8000 in its own container; Docker binds each to a port of its
    // own on the host's loopback, which the agent reports and the proxy uses.
    Path file =
        bosun.file(
            "web.bosun.yml",
            """
            type: service
            name: web
            image: %s
            port: 8000
            replicas: 2
            resources: {cpu: 1, memory: 0.2GB}
            commands:
              - mkdir -p /www && echo "replica $BOSUN_REPLICA_NUM" > /www/who.txt
              - exec httpd -f -p 8000 -h /www
            """
                .formatted(IMAGE));
    BosunHarness.Result apply = bosun.run("apply", "-y", "-d", "-f", file.toString());
    assertThat(apply.code()).as(apply.toString()).isZero();
    var http = java.net.http.HttpClient.newHttpClient();
    var request =
        java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(bosun.serverUrl() + "/proxy/services/main/web/who.txt"))
            .header("Authorization", "Bearer " + bosun.adminToken())
            .build();
    java.util.Set<String> answered = new java.util.HashSet<>();
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(120))
        .until(
            () -> {
              var response = http.send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
              if (response.statusCode() == 200) {
                answered.add(response.body().trim());
              }
              return answered.size() == 2;
            });
    assertThat(answered).containsExactlyInAnyOrder("replica 0", "replica 1");
    BosunHarness.Result ps = bosun.run("ps");
    assertThat(ps.out()).as(ps.toString()).contains("2/2 replicas ready");
    BosunHarness.Result stop = bosun.run("stop", "web");
    assertThat(stop.code()).as(stop.toString()).isZero();
  }

  @Test
  @Order(3)
  void aMissingImageFailsWithAClearReason() throws Exception {
    Path file =
        bosun.file(
            "absent.bosun.yml",
            "type: task\nname: absent\nimage: 127.0.0.1:1/bosun-test/absent:1\n"
                + "resources: {cpu: 1, memory: 0.2GB}\ncommands: [true]\n");
    BosunHarness.Result apply = bosun.run("apply", "-y", "-f", file.toString());
    assertThat(apply.code()).as(apply.toString()).isEqualTo(1);
    assertThat(apply.out() + apply.err())
        .contains("cannot run image 127.0.0.1:1/bosun-test/absent:1");
    BosunHarness.Result ps = bosun.run("ps", "-a");
    assertThat(ps.out()).containsPattern("absent\\s+failed");
  }

  @Test
  @Order(4)
  void aGpuContainerRunOnAHostWhoseDockerCannotPassGpusIsRefusedWithWhatToInstall()
      throws Exception {
    Path file =
        bosun.file(
            "gpu.bosun.yml",
            "type: task\nname: gpu\nimage: "
                + IMAGE
                + "\nresources: {cpu: 1, memory: 0.2GB, gpu: 1}\ncommands: [nvidia-smi]\n");
    BosunHarness.Result apply = bosun.run("apply", "-y", "-f", file.toString());
    assertThat(apply.code()).as(apply.toString()).isNotZero();
    assertThat(apply.out() + apply.err())
        .contains("cannot run containers")
        .contains("install the NVIDIA Container Toolkit");
    // The same run as processes fits: the host has the GPUs.
    Path process =
        bosun.file(
            "gpu-process.bosun.yml",
            "type: task\nname: gpu-process\nresources: {cpu: 1, memory: 0.2GB, gpu: 1}\n"
                + "commands: ['echo gpus=$CUDA_VISIBLE_DEVICES']\n");
    BosunHarness.Result ok = bosun.run("apply", "-y", "-f", process.toString());
    assertThat(ok.code()).as(ok.toString()).isZero();
    assertThat(ok.out()).containsPattern("gpus=[01]");
  }

  @Test
  @Order(5)
  void whenDockerStopsTheHostSaysSoAndContainerRunsAreRefusedWithTheReason() throws Exception {
    dockerd.close();
    Path file =
        bosun.file(
            "late.bosun.yml",
            "type: task\nname: late\nimage: "
                + IMAGE
                + "\nresources: {cpu: 1, memory: 0.2GB}\ncommands: [true]\n");
    BosunHarness.Result first = bosun.run("apply", "-y", "-f", file.toString());
    assertThat(first.code()).as(first.toString()).isEqualTo(1);
    assertThat(first.out() + first.err()).contains("cannot reach Docker");
    // The failure makes the server ask the agent again: the host no longer runs containers.
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(30))
        .until(
            () ->
                !bosun
                    .client()
                    .fleets("main")
                    .getFirst()
                    .instances()
                    .getFirst()
                    .resources()
                    .containers()
                    .available());
    Path again =
        bosun.file(
            "later.bosun.yml",
            "type: task\nname: later\nimage: "
                + IMAGE
                + "\nresources: {cpu: 1, memory: 0.2GB}\ncommands: [true]\n");
    BosunHarness.Result refused = bosun.run("apply", "-y", "-f", again.toString());
    assertThat(refused.code()).as(refused.toString()).isNotZero();
    assertThat(refused.out() + refused.err())
        .contains("cannot run containers: cannot reach Docker");
    Path process =
        bosun.file("plain.bosun.yml", "type: task\nname: plain\ncommands: ['echo still-fine']\n");
    BosunHarness.Result plain = bosun.run("apply", "-y", "-f", process.toString());
    assertThat(plain.code()).as(plain.toString()).isZero();
    assertThat(plain.out()).contains("still-fine");
  }
}
