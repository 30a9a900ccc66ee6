package dev.bosun.server.runs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bosun.api.ApplyRequest;
import dev.bosun.model.config.DevEnvironmentConfiguration;
import dev.bosun.model.config.StartupOrder;
import dev.bosun.model.config.StopCriteria;
import dev.bosun.model.error.BosunException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunSpecsTest {
  private static RunSpec spec(String yaml, Map<String, String> clientEnv) {
    return new RunSpecs("python:{python}-slim")
        .parse(new ApplyRequest(yaml, "run.bosun.yml", clientEnv, null));
  }

  private static RunSpec spec(String yaml) {
    return spec(yaml, Map.of());
  }

  @Test
  void aDevEnvironmentIsOneJobThatRunsInitAndThenStaysUp() {
    RunSpec spec =
        spec(
            """
            type: dev-environment
            name: box
            ide: vscode
            python: "3.12"
            init: [pip install -r requirements.txt, echo ready]
            env: [HF_TOKEN, MODE=dev]
            ports: ["*:8888"]
            inactivity_duration: 2h
            max_duration: 1d
            retry: true
            """,
            Map.of("HF_TOKEN", "secret"));

    assertThat(spec.type()).isEqualTo("dev-environment").isEqualTo(RunSpec.DEV_ENVIRONMENT);
    assertThat(spec.isDevEnvironment()).isTrue();
    assertThat(spec.name()).isEqualTo("box");
    assertThat(spec.commands())
        .containsExactly(
            "pip install -r requirements.txt",
            "echo ready",
            DevEnvironmentConfiguration.KEEP_ALIVE);
    assertThat(spec.nodes()).isEqualTo(1);
    assertThat(spec.startupOrder()).isEqualTo(StartupOrder.ANY);
    assertThat(spec.stopCriteria()).isEqualTo(StopCriteria.ALL_DONE);
    assertThat(spec.inactivityDuration()).isEqualTo(Duration.ofHours(2));
    assertThat(spec.ide()).isEqualTo("vscode");
    assertThat(spec.env()).containsEntry("HF_TOKEN", "secret").containsEntry("MODE", "dev");
    assertThat(spec.image()).isEqualTo("python:3.12-slim");
    assertThat(spec.ports()).containsExactly("*:8888");
    assertThat(spec.maxDuration()).isEqualTo(Duration.ofDays(1));
    assertThat(spec.stopDuration()).isEqualTo(RunSpec.DEFAULT_STOP_DURATION);
    assertThat(spec.retryOn()).containsExactlyInAnyOrder("no-capacity", "interruption", "error");
    assertThat(spec.retryDuration()).isEqualTo(RunSpecs.DEFAULT_RETRY_DURATION);
  }

  @Test
  void aDevEnvironmentWithoutInitOnlyStaysUpAndHasNoInactivityLimitUnlessItGivesOne() {
    RunSpec bare = spec("type: dev-environment\n");
    assertThat(bare.commands()).containsExactly(DevEnvironmentConfiguration.KEEP_ALIVE);
    assertThat(bare.inactivityDuration()).isNull();
    assertThat(bare.ide()).isNull();
    assertThat(bare.inContainer()).isFalse();

    assertThat(spec("type: dev-environment\ninactivity_duration: off\n").inactivityDuration())
        .isNull();
    assertThat(spec("type: dev-environment\ninactivity_duration: false\n").inactivityDuration())
        .isNull();
    assertThat(spec("type: dev-environment\ninactivity_duration: 600\n").inactivityDuration())
        .isEqualTo(Duration.ofMinutes(10));
  }

  @Test
  void aTaskHasNoInactivityLimitAndNoIde() {
    RunSpec spec = spec("type: task\ncommands: [python train.py]\nnodes: 2\n");

    assertThat(spec.type()).isEqualTo(RunSpec.TASK);
    assertThat(spec.isDevEnvironment()).isFalse();
    assertThat(spec.commands()).containsExactly("python train.py");
    assertThat(spec.nodes()).isEqualTo(2);
    assertThat(spec.inactivityDuration()).isNull();
    assertThat(spec.ide()).isNull();
  }

  @Test
  void aDevEnvironmentNeedsTheSubmittersValuesLikeATask() {
    assertThatThrownBy(() -> spec("type: dev-environment\nenv: [HF_TOKEN]\n"))
        .isInstanceOf(BosunException.class)
        .hasMessageStartingWith("run.bosun.yml: env: ");
    assertThat(spec("type: task\ncommands: [a]\nenv: [HF_TOKEN]\n", Map.of("HF_TOKEN", "t")).env())
        .isEqualTo(Map.of("HF_TOKEN", "t"));
  }

  @Test
  void theShorterConstructorsLeaveTheDevEnvironmentFieldsOut() {
    RunSpec spec =
        new RunSpec(
            "task",
            "run",
            List.of("true"),
            Map.of(),
            null,
            null,
            0,
            java.util.Set.of(),
            null,
            null,
            RunSpec.DEFAULT_STOP_DURATION,
            List.of(),
            null,
            List.of(),
            1,
            StartupOrder.ANY,
            StopCriteria.ALL_DONE,
            false,
            List.of());

    assertThat(spec.inactivityDuration()).isNull();
    assertThat(spec.ide()).isNull();
    assertThat(spec.container()).isNull();
  }
}
