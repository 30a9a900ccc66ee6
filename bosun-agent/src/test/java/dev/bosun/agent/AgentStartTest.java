package dev.bosun.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bosun.api.Json;
import dev.bosun.model.host.GpuDevice;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an agent does when it starts: its data directory, its token, its lock and what it detects.
 */
class AgentStartTest {
  @TempDir Path temp;

  @Test
  void startCreatesAPrivateDataDirectoryWithTokenAndAgentFile() throws Exception {
    Path dataDir = temp.resolve("nested/agent");
    try (TestAgent agent = TestAgent.start(dataDir)) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir)))
          .isEqualTo("rwx------");
      Path token = dataDir.resolve("token");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(token)))
          .isEqualTo("rw-------");
      assertThat(Files.readString(token).strip())
          .isEqualTo(agent.handle.token())
          .matches("[A-Za-z0-9_-]{43}");
      JsonNode agentFile = Json.mapper().readTree(dataDir.resolve("agent.json").toFile());
      assertThat(agentFile.get("pid").asLong()).isEqualTo(ProcessHandle.current().pid());
      assertThat(agentFile.get("port").asInt()).isEqualTo(agent.handle.port()).isPositive();
      assertThat(agentFile.get("protocol_version").asText()).isEqualTo("1");
      assertThat(agentFile.get("agent_version").asText())
          .isEqualTo(agent.client.info().agentVersion());
      assertThat(agentFile.get("boot_id").asText()).isEqualTo(agent.handle.bootId());
    }
    try (TestAgent again = TestAgent.start(dataDir)) {
      assertThat(again.handle.token())
          .isEqualTo(Files.readString(dataDir.resolve("token")).strip());
    }
  }

  @Test
  void secondAgentOnTheSameDataDirectoryIsRefused() {
    try (TestAgent first = TestAgent.start(temp)) {
      assertThatThrownBy(() -> AgentMain.start(AgentOptions.defaults(temp)))
          .isInstanceOf(AgentStartException.class)
          .hasMessageContaining("already running");
      assertThat(first.client.info().bootId()).isEqualTo(first.handle.bootId());
    }
  }

  @Test
  void nonLoopbackAddressNeedsAllowRemote() {
    AgentOptions everywhere = AgentOptions.defaults(temp).withHost("0.0.0.0", false);

    assertThatThrownBy(() -> AgentMain.start(everywhere))
        .isInstanceOf(AgentStartException.class)
        .hasMessageContaining("loopback");
    assertThat(temp.resolve("agent.lock")).doesNotExist();
  }

  @Test
  void argumentsAreParsed() {
    AgentOptions options =
        AgentMain.parse(
            new String[] {
              "--data-dir", temp.toString(), "--host=::1", "--port", "7071", "--allow-remote"
            });

    assertThat(options.dataDir()).isEqualTo(temp);
    assertThat(options.host()).isEqualTo("::1");
    assertThat(options.port()).isEqualTo(7071);
    assertThat(options.allowRemote()).isTrue();
    assertThat(AgentMain.parse(new String[0]).host()).isEqualTo("127.0.0.1");
    assertThatThrownBy(() -> AgentMain.parse(new String[] {"--port", "x"}))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> AgentMain.parse(new String[] {"--bogus"}))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void gpusAreDetectedWithNvidiaSmiOnThePath() throws Exception {
    Path bin =
        fakeNvidiaSmi(
            """
        #!/bin/sh
        case "$*" in *--query-gpu=index,uuid,name,memory.total,driver_version*) ;; *) exit 9 ;; esac
        echo '0, GPU-3f1c2a55-8c1e-4b5e-9a0d-1a2b3c4d5e6f, NVIDIA H100 80GB HBM3, 81559, 550.54.15'
        echo '1, GPU-7a9e0b11-2d3c-4e5f-8a9b-0c1d2e3f4a5b, NVIDIA H100 80GB HBM3, 81559, 550.54.15'
        """);

    try (TestAgent agent = TestAgent.start(withPath(temp.resolve("data"), bin))) {
      assertThat(agent.client.info().resources().gpus())
          .containsExactly(
              new GpuDevice(
                  0,
                  "GPU-3f1c2a55-8c1e-4b5e-9a0d-1a2b3c4d5e6f",
                  "nvidia",
                  "H100 80GB HBM3",
                  81559,
                  "550.54.15"),
              new GpuDevice(
                  1,
                  "GPU-7a9e0b11-2d3c-4e5f-8a9b-0c1d2e3f4a5b",
                  "nvidia",
                  "H100 80GB HBM3",
                  81559,
                  "550.54.15"));
    }
  }

  @Test
  void brokenNvidiaSmiMeansNoGpus() throws Exception {
    Path garbage =
        fakeNvidiaSmi("#!/bin/sh\necho 'NVIDIA-SMI has failed because it could not communicate'\n");
    try (TestAgent agent = TestAgent.start(withPath(temp.resolve("garbage"), garbage))) {
      assertThat(agent.client.info().resources().gpus()).isEmpty();
    }
    Path failing = fakeNvidiaSmi("#!/bin/sh\necho 'no devices' >&2\nexit 6\n");
    try (TestAgent agent = TestAgent.start(withPath(temp.resolve("failing"), failing))) {
      assertThat(agent.client.info().resources().gpus()).isEmpty();
    }
  }

  private Path fakeNvidiaSmi(String script) throws Exception {
    Path bin = Files.createTempDirectory(temp, "bin");
    Path nvidiaSmi = bin.resolve("nvidia-smi");
    Files.writeString(nvidiaSmi, script);
    Files.setPosixFilePermissions(nvidiaSmi, PosixFilePermissions.fromString("rwxr-xr-x"));
    return bin;
  }

  private static AgentOptions withPath(Path dataDir, Path bin) {
    Map<String, String> environment = new HashMap<>(System.getenv());
    environment.put("PATH", bin + ":" + System.getenv("PATH"));
    return AgentOptions.defaults(dataDir).withEnvironment(environment);
  }
}
