package dev.bosun.agent.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Engine API JSON for a container spec, and the records read from inspect and list. */
class ContainerJsonTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void aFullSpecBecomesDockersCreateBody() throws Exception {
    ContainerSpec spec =
        ContainerSpec.builder("nvcr.io/nvidia/pytorch:24.05-py3")
            .name("bosun-run-1-0")
            .command("python", "train.py")
            .entrypoint(List.of("/bin/sh", "-c"))
            .env("A", "1")
            .env("B", "x=y")
            .user("1000:1000")
            .workingDir("/workflow")
            .label("bosun.job", "j1")
            .bind("/data", "/data", true)
            .bind("/home/u/work", "/workflow", false)
            .port(ContainerSpec.PortBinding.loopback(8888))
            .port(new ContainerSpec.PortBinding(8888, "tcp", "10.0.0.5", 18888))
            .shmSizeBytes(8L << 30)
            .nanoCpus(4_000_000_000L)
            .memoryBytes(64L << 30)
            .networkMode("host")
            .deviceRequest(ContainerSpec.DeviceRequest.nvidiaGpus(List.of("GPU-a", "GPU-b")))
            .device(ContainerSpec.Device.of("/dev/kfd"))
            .build();
    JsonNode expected =
        JSON.readTree(
            """
            {"Image":"nvcr.io/nvidia/pytorch:24.05-py3","Cmd":["python","train.py"],
             "Entrypoint":["/bin/sh","-c"],"Env":["A=1","B=x=y"],"User":"1000:1000",
             "WorkingDir":"/workflow","Labels":{"bosun.job":"j1"},"Tty":false,"OpenStdin":false,
             "ExposedPorts":{"8888/tcp":{}},
             "HostConfig":{"Binds":["/data:/data:ro","/home/u/work:/workflow"],
               "PortBindings":{"8888/tcp":[{"HostIp":"127.0.0.1","HostPort":""},
                                           {"HostIp":"10.0.0.5","HostPort":"18888"}]},
               "ShmSize":8589934592,"NanoCpus":4000000000,
               "Memory":68719476736,"MemorySwap":68719476736,"NetworkMode":"host",
               "Privileged":false,
               "DeviceRequests":[{"Driver":"nvidia","Count":0,"DeviceIDs":["GPU-a","GPU-b"],
                                  "Capabilities":[["gpu"]]}],
               "Devices":[{"PathOnHost":"/dev/kfd","PathInContainer":"/dev/kfd",
                           "CgroupPermissions":"rwm"}],
               "Init":true}}
            """);
    assertThat(ContainerJson.createBody(spec)).isEqualTo(expected);
  }

  @Test
  void aMinimalSpecLeavesDockersDefaults() {
    JsonNode body = ContainerJson.createBody(ContainerSpec.builder("img").build());
    assertThat(body.has("Cmd")).isFalse();
    assertThat(body.has("User")).isFalse();
    assertThat(body.path("HostConfig").has("NetworkMode")).isFalse();
    assertThat(body.path("HostConfig").has("Memory")).isFalse();
    assertThat(body.path("HostConfig").has("Runtime")).isFalse();
  }

  @Test
  void readsInspectAnswers() throws Exception {
    ContainerInfo info =
        ContainerJson.info(
            JSON.readTree(
                """
                {"Id":"c0ffee","Name":"/web",
                 "State":{"Status":"running","Running":true,"OOMKilled":false,"Pid":4242,
                          "ExitCode":0,"Error":"","StartedAt":"2026-01-02T03:04:05.123456789Z",
                          "FinishedAt":"0001-01-01T00:00:00Z"},
                 "Config":{"Image":"img:1","Tty":false,"Labels":{"bosun.job":"j1"},
                           "Env":["PATH=/usr/bin","A=x=y"],"User":"app","WorkingDir":"/w"},
                 "HostConfig":{"Memory":1048576,"NanoCpus":0,"ShmSize":67108864,
                               "NetworkMode":"bosun-net","DeviceRequests":null},
                 "NetworkSettings":{"Ports":{"8080/tcp":[{"HostIp":"127.0.0.1","HostPort":"32768"}],
                                             "9090/tcp":null},
                                    "IPAddress":"",
                                    "Networks":{"bosun-net":{"IPAddress":"10.79.3.2"}}}}
                """));
    assertThat(info.name()).isEqualTo("web");
    assertThat(info.state().pid()).isEqualTo(4242);
    assertThat(info.state().startedAt()).isEqualTo(Instant.parse("2026-01-02T03:04:05.123456789Z"));
    assertThat(info.state().finishedAt()).isNull();
    assertThat(info.state().hasExited()).isFalse();
    assertThat(info.ports())
        .containsExactly(new ContainerInfo.PublishedPort(8080, "tcp", "127.0.0.1", 32768));
    assertThat(info.hostPort(9090)).isEmpty();
    assertThat(info.deviceRequests()).isEmpty();
    assertThat(info.labels()).containsEntry("bosun.job", "j1");
    assertThat(info.env()).containsExactly("PATH=/usr/bin", "A=x=y");
    assertThat(info.user()).isEqualTo("app");
    assertThat(info.workingDir()).isEqualTo("/w");
    assertThat(info.ipAddress()).isEqualTo("10.79.3.2");
  }

  @Test
  void splitsImageReferencesForThePullQuery() {
    assertThat(ImageTransfer.split("busybox")).containsExactly("busybox", "latest");
    assertThat(ImageTransfer.split("ghcr.io/org/app:2.1"))
        .containsExactly("ghcr.io/org/app", "2.1");
    assertThat(ImageTransfer.split("127.0.0.1:5000/team/app"))
        .containsExactly("127.0.0.1:5000/team/app", "latest");
    assertThat(ImageTransfer.split("repo/app@sha256:abcd"))
        .containsExactly("repo/app", "sha256:abcd");
  }

  @Test
  void registryAuthNeverPrintsThePassword() {
    assertThat(new RegistryAuth("alice", "s3cret", "ghcr.io").toString()).doesNotContain("s3cret");
  }
}
