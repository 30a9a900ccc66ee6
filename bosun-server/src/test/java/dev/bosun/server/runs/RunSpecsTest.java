package dev.bosun.server.runs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bosun.api.ApplyRequest;
import dev.bosun.model.config.DevEnvironmentConfiguration;
import dev.bosun.model.config.ModelSpec;
import dev.bosun.model.config.ReplicaRange;
import dev.bosun.model.config.ScalingSpec;
import dev.bosun.model.config.ServiceConfiguration;
import dev.bosun.model.config.StartupOrder;
import dev.bosun.model.config.StopCriteria;
import dev.bosun.model.error.BosunException;
import dev.bosun.model.error.ErrorCode;
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

  private static final String SERVICE =
      """
      type: service
      name: llama
      image: vllm/vllm-openai:latest
      env: [HF_TOKEN]
      commands: [vllm serve meta-llama/Meta-Llama-3.1-8B-Instruct --max-model-len 4096]
      port: 8000
      model: meta-llama/Meta-Llama-3.1-8B-Instruct
      replicas: 1..4
      scaling: {metric: rps, target: 10}
      resources:
        gpu: 24GB
      """;

  @Test
  void aServiceParsesIntoASpecThatKeepsItsConfiguration() {
    RunSpec spec = spec(SERVICE, Map.of("HF_TOKEN", "secret"));

    assertThat(spec.type()).isEqualTo("service").isEqualTo(RunSpec.SERVICE);
    assertThat(spec.isService()).isTrue();
    assertThat(spec.isDevEnvironment()).isFalse();
    assertThat(spec.name()).isEqualTo("llama");
    assertThat(spec.commands())
        .containsExactly("vllm serve meta-llama/Meta-Llama-3.1-8B-Instruct --max-model-len 4096");
    assertThat(spec.nodes()).isEqualTo(1);
    assertThat(spec.env()).containsEntry("HF_TOKEN", "secret");
    assertThat(spec.image()).isEqualTo("vllm/vllm-openai:latest");
    assertThat(spec.ports()).isEmpty();
    assertThat(spec.inactivityDuration()).isNull();
    assertThat(spec.ide()).isNull();
    ServiceConfiguration service = spec.service();
    assertThat(service).isNotNull();
    assertThat(service.port()).isEqualTo(8000);
    assertThat(service.replicas()).isEqualTo(new ReplicaRange(1, 4));
    assertThat(service.scaling()).isEqualTo(ScalingSpec.rps(10));
    assertThat(service.model()).isEqualTo(ModelSpec.named("meta-llama/Meta-Llama-3.1-8B-Instruct"));
    assertThat(spec("type: task\ncommands: [a]\n").service()).isNull();
    assertThat(spec("type: dev-environment\n").isService()).isFalse();
  }

  @Test
  void aServiceOfAFixedNumberOfReplicasIsTakenAndARangeIsRefusedForNow() {
    RunSpecs specs = new RunSpecs("python:{python}-slim");
    ApplyRequest request =
        new ApplyRequest(SERVICE, "llama.bosun.yml", Map.of("HF_TOKEN", "secret"), null);

    assertThat(specs.parse(request).isService()).isTrue();
    assertThatThrownBy(() -> specs.submitted(request))
        .isInstanceOfSatisfying(
            BosunException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIGURATION))
        .hasMessage(
            "llama.bosun.yml: replicas: 1..4: this server runs a fixed number of replicas so far;"
                + " autoscaling comes in a later release, so give a number, e.g. replicas: 4");
    RunSpec one =
        specs.submitted(
            new ApplyRequest("type: service\ncommands: [a]\nport: 80\n", null, Map.of(), null));
    assertThat(one.service().port()).isEqualTo(80);
    assertThat(one.containerPorts()).containsExactly(80);
    assertThat(one.jobsAtStart()).isEqualTo(1);
    RunSpec three =
        specs.submitted(
            new ApplyRequest(
                "type: service\ncommands: [a]\nport: 80\nreplicas: 3\n", null, Map.of(), null));
    assertThat(three.jobsAtStart()).as("a job per replica").isEqualTo(3);
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
    assertThat(spec.service()).isNull();
    assertThat(spec.isService()).isFalse();
  }
}
