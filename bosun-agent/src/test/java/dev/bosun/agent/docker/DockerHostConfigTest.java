package dev.bosun.agent.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A container's host settings — shared memory, limits, devices, GPUs, published ports — as the
 * process inside sees them and as inspect reports them, against a private dockerd.
 */
class DockerHostConfigTest {
  private static final long MIB = 1024 * 1024;
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
  void shmSizeIsTheSizeOfDevShm() {
    ContainerRun run =
        ContainerRun.run(
            docker,
            busybox("sh", "-c", "grep ' /dev/shm ' /proc/mounts; df -k /dev/shm")
                .shmSizeBytes(256 * MIB)
                .build());
    assertThat(run.stdout()).contains("size=262144k");
    assertThat(run.stdout().lines().toList().getLast()).contains(" 262144 ");
    assertThat(docker.inspectContainer(run.id()).shmSizeBytes()).isEqualTo(256 * MIB);
  }

  @Test
  void memoryAndCpuLimitsReachTheContainersCgroup() {
    String cgroup =
        "cat /sys/fs/cgroup/memory/memory.limit_in_bytes /sys/fs/cgroup/cpu/cpu.cfs_quota_us /sys/fs/cgroup/cpu/cpu.cfs_period_us 2>/dev/null"
            + " || cat /sys/fs/cgroup/memory.max /sys/fs/cgroup/cpu.max";
    ContainerRun run =
        ContainerRun.run(
            docker,
            busybox("sh", "-c", cgroup).memoryBytes(64 * MIB).nanoCpus(500_000_000).build());
    assertThat(run.stdout().split("\\s+"))
        .containsExactly(String.valueOf(64 * MIB), "50000", "100000");
    ContainerInfo info = docker.inspectContainer(run.id());
    assertThat(info.memoryBytes()).isEqualTo(64 * MIB);
    assertThat(info.nanoCpus()).isEqualTo(500_000_000);
    assertThat(info.state().oomKilled()).isFalse();
  }

  @Test
  void aContainerOverItsMemoryLimitIsOomKilled() {
    // the shell's variable grows past the limit; swap is off because MemorySwap equals Memory
    ContainerRun run =
        ContainerRun.run(
            docker,
            busybox("sh", "-c", "x=$(head -c 200000000 /dev/zero | tr '\\0' a); echo survived")
                .memoryBytes(32 * MIB)
                .build());
    ContainerInfo.State state = docker.inspectContainer(run.id()).state();
    assertThat(state.oomKilled()).isTrue();
    assertThat(run.stdout()).doesNotContain("survived");
  }

  @Test
  void passesDeviceNodesThrough() {
    ContainerRun run =
        ContainerRun.run(
            docker,
            busybox(
                    "sh",
                    "-c",
                    "test -c /dev/bosun-zero && head -c 3 /dev/bosun-zero | od -An -tx1")
                .device(new ContainerSpec.Device("/dev/zero", "/dev/bosun-zero", "rwm"))
                .build());
    assertThat(run.exitCode()).isZero();
    assertThat(run.stdout().strip()).isEqualTo("00 00 00");
  }

  @Test
  void nvidiaGpuRequestsAreKeptExactlyAndRefusedWithoutTheToolkit() {
    List<String> uuids =
        List.of(
            "GPU-3f1c0b6e-0000-4000-8000-000000000001", "GPU-3f1c0b6e-0000-4000-8000-000000000002");
    String id =
        docker.createContainer(
            busybox("nvidia-smi")
                .deviceRequest(ContainerSpec.DeviceRequest.nvidiaGpus(uuids))
                .build());

    ContainerInfo created = docker.inspectContainer(id);
    assertThat(created.deviceRequests())
        .containsExactly(
            new ContainerSpec.DeviceRequest("nvidia", 0, uuids, List.of(List.of("gpu"))));
    assertThat(created.state().status()).isEqualTo("created");

    assertThatThrownBy(() -> docker.startContainer(id))
        .isInstanceOfSatisfying(DockerException.class, e -> assertThat(e.status()).isEqualTo(500))
        .hasMessageContaining(
            "could not select device driver \"nvidia\" with capabilities: [[gpu]]");
    docker.removeContainer(id);
  }

  @Test
  void aPublishedPortIsReachableOnTheBoundLoopbackPort() throws Exception {
    String id =
        docker.createContainer(
            ContainerSpec.builder(BusyboxImage.REFERENCE)
                .command(
                    "sh",
                    "-c",
                    "mkdir /tmp/www && echo hello from the container > /tmp/www/index.html && exec httpd -f -p 8080 -h /tmp/www")
                .networkMode(dockerd.bridgeNetwork())
                .port(ContainerSpec.PortBinding.loopback(8080))
                .build());
    docker.startContainer(id);

    ContainerInfo.PublishedPort port = docker.inspectContainer(id).hostPort(8080).orElseThrow();
    assertThat(port.hostIp()).isEqualTo("127.0.0.1");
    assertThat(port.hostPort()).isPositive();
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    URI uri = URI.create("http://127.0.0.1:" + port.hostPort() + "/index.html");
    String body = null;
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (body == null && System.nanoTime() < deadline) {
      try {
        HttpResponse<String> response =
            http.send(
                HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).build(),
                HttpResponse.BodyHandlers.ofString());
        body = response.statusCode() == 200 ? response.body() : null;
      } catch (IOException e) {
        Thread.sleep(50); // httpd not listening yet
      }
    }
    assertThat(body).isEqualTo("hello from the container\n");
    docker.removeContainer(id);
  }
}
