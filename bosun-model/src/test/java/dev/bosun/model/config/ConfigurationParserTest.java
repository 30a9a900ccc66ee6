package dev.bosun.model.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bosun.model.resources.CpuSpec;
import dev.bosun.model.resources.GpuSpec;
import dev.bosun.model.resources.IntRange;
import dev.bosun.model.resources.Memory;
import dev.bosun.model.resources.MemoryRange;
import dev.bosun.model.resources.ResourcesSpec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConfigurationParserTest {
  static String resource(String name) {
    try (InputStream in =
        ConfigurationParserTest.class.getResourceAsStream("/configurations/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  static TaskConfiguration task(String yaml) {
    return (TaskConfiguration) ConfigurationParser.parse(yaml, "test.bosun.yml");
  }

  @Test
  void readsEveryFieldOfATask() {
    TaskConfiguration task =
        (TaskConfiguration) ConfigurationParser.parse(resource("full.bosun.yml"), "full.bosun.yml");

    assertThat(task.type()).isEqualTo("task");
    assertThat(task.name()).isEqualTo("train-llama");
    assertThat(task.commands())
        .containsExactly("pip install -r requirements.txt", "python train.py --epochs 3");
    assertThat(task.env().values())
        .containsExactly(Map.entry("HF_HUB_ENABLE_HF_TRANSFER", "1"), Map.entry("EMPTY", ""));
    assertThat(task.env().fromSubmitter()).containsExactly("WANDB_API_KEY");
    assertThat(task.workingDir()).isEqualTo("/workspace");
    assertThat(task.shell()).isEqualTo("bash");
    assertThat(task.resources())
        .isEqualTo(
            new ResourcesSpec(
                new CpuSpec("arm", IntRange.atLeast(16)),
                MemoryRange.atLeast(Memory.ofGb(64)),
                MemoryRange.atLeast(Memory.ofGb(500)),
                Memory.ofGb(16),
                GpuSpec.parse("A100:80GB:8")));
    assertThat(task.priority()).isEqualTo(80);
    assertThat(task.retry())
        .isEqualTo(
            new RetryPolicy(
                EnumSet.of(RetryEvent.NO_CAPACITY, RetryEvent.INTERRUPTION), Duration.ofHours(2)));
    assertThat(task.maxDuration()).isEqualTo(TimeLimit.of(Duration.ofDays(1)));
    assertThat(task.stopDuration()).isEqualTo(TimeLimit.of(Duration.ofMinutes(5)));
    assertThat(task.ports())
        .containsExactly(
            PortMapping.same(8080), new PortMapping(80, 8081, false), PortMapping.anyLocal(6006));
    assertThat(task.fleets()).containsExactly("gpu-rack", "cloud-fleet");
    assertThat(task.tags())
        .containsExactly(Map.entry("team", "research"), Map.entry("cost-center", "42"));
    assertThat(task.nodes()).isEqualTo(2);
    assertThat(task.isMultiNode()).isTrue();
    assertThat(task.startupOrder()).isEqualTo(StartupOrder.WORKERS_FIRST);
    assertThat(task.stopCriteria()).isEqualTo(StopCriteria.MASTER_DONE);
    assertThat(task.preemptible()).isTrue();
    assertThat(task.backends()).containsExactly("ssh", "local");
    assertThat(task.instanceTypes()).containsExactly("p4d.24xlarge");
    assertThat(task.maxPrice()).isEqualTo(2.5);
  }

  @Test
  void leavesEveryOptionalFieldUnsetWhenTheFileOnlyHasCommands() {
    TaskConfiguration task = task("type: task\ncommands: [nvidia-smi]\n");

    assertThat(task).isEqualTo(TaskConfiguration.of(List.of("nvidia-smi")));
    assertThat(task.name()).isNull();
    assertThat(task.env()).isEqualTo(Environment.EMPTY);
    assertThat(task.resources()).isEqualTo(ResourcesSpec.UNSPECIFIED);
    assertThat(task.priority()).isNull();
    assertThat(task.retry()).isNull();
    assertThat(task.maxDuration()).isNull();
    assertThat(task.stopDuration()).isNull();
    assertThat(task.ports()).isEmpty();
    assertThat(task.nodes()).isEqualTo(1);
    assertThat(task.isMultiNode()).isFalse();
    assertThat(task.startupOrder()).isEqualTo(StartupOrder.ANY);
    assertThat(task.stopCriteria()).isEqualTo(StopCriteria.ALL_DONE);
    assertThat(task.preemptible()).isFalse();
    assertThat(task.backends()).isEmpty();
    assertThat(task.instanceTypes()).isEmpty();
    assertThat(task.maxPrice()).isNull();
  }

  @Test
  void treatsAnEmptyValueAsLeftOut() {
    TaskConfiguration task =
        task(
            "type: task\ncommands: [a]\nresources:\nretry:\nname: ~\nnodes:\nstartup_order:\n"
                + "preemptible:\nbackends:\nmax_price:\n");

    assertThat(task).isEqualTo(TaskConfiguration.of(List.of("a")));
    assertThat(task.resources()).isEqualTo(ResourcesSpec.UNSPECIFIED);
    assertThat(task.retry()).isNull();
    assertThat(task.name()).isNull();
  }

  @Test
  void readsADstackFile() {
    TaskConfiguration task = task(resource("dstack-style.dstack.yml"));

    assertThat(task.container()).isEqualTo(ContainerConfig.ofPython("3.11"));
    assertThat(task.env().fromSubmitter()).containsExactly("HF_TOKEN", "WANDB_API_KEY");
    assertThat(task.resources().gpu()).isEqualTo(GpuSpec.parse("24GB..:2"));
  }

  @Test
  void readsEnvAsAMappingWithEmptyValuesFromTheSubmitter() {
    TaskConfiguration task =
        task(
            """
        type: task
        commands: [a]
        env:
          MODEL: llama
          EPOCHS: 3
          DEBUG: true
          QUOTED: ""
          HF_TOKEN:
        """);

    assertThat(task.env().values())
        .containsExactly(
            Map.entry("MODEL", "llama"),
            Map.entry("EPOCHS", "3"),
            Map.entry("DEBUG", "true"),
            Map.entry("QUOTED", ""));
    assertThat(task.env().fromSubmitter()).containsExactly("HF_TOKEN");
  }

  @Test
  void keepsEverythingAfterTheFirstEqualsSignOfAListEntry() {
    assertThat(task("type: task\ncommands: [a]\nenv: [\"ARGS=--lr=0.1 --x\"]\n").env().values())
        .containsEntry("ARGS", "--lr=0.1 --x");
  }

  @Test
  void retryTrueMeansEveryEventWithNoDurationAndFalseMeansNever() {
    assertThat(task("type: task\ncommands: [a]\nretry: true\n").retry())
        .isEqualTo(RetryPolicy.ALWAYS);
    assertThat(RetryPolicy.ALWAYS.onEvents()).containsExactly(RetryEvent.values());
    assertThat(RetryPolicy.ALWAYS.duration()).isNull();
    assertThat(task("type: task\ncommands: [a]\nretry: false\n").retry())
        .isEqualTo(RetryPolicy.NEVER);
    assertThat(RetryPolicy.NEVER.retriesOn(RetryEvent.ERROR)).isFalse();
  }

  @Test
  void aRetryMappingWithoutEventsRetriesOnEveryEvent() {
    assertThat(task("type: task\ncommands: [a]\nretry: {duration: 30m}\n").retry())
        .isEqualTo(new RetryPolicy(Set.of(RetryEvent.values()), Duration.ofMinutes(30)));
  }

  @Test
  void timeLimitsTakeOffFalseDurationsAndSeconds() {
    assertThat(task("type: task\ncommands: [a]\nmax_duration: off\n").maxDuration())
        .isEqualTo(TimeLimit.OFF);
    assertThat(task("type: task\ncommands: [a]\nmax_duration: false\n").maxDuration())
        .isEqualTo(TimeLimit.OFF);
    assertThat(task("type: task\ncommands: [a]\nmax_duration: 90\n").maxDuration())
        .isEqualTo(TimeLimit.of(Duration.ofSeconds(90)));
    assertThat(task("type: task\ncommands: [a]\nstop_duration: 1h30m\n").stopDuration())
        .isEqualTo(TimeLimit.of(Duration.ofMinutes(90)));
    // dstack reads true as "the default", the same as leaving the field out.
    assertThat(task("type: task\ncommands: [a]\nmax_duration: true\n").maxDuration()).isNull();
  }

  @Test
  void readsResourceMappingForms() {
    ResourcesSpec resources =
        task("""
        type: task
        commands: [a]
        resources:
          cpu: {arch: arm, count: 8..}
          memory: 16
          disk: {size: 100GB..1TB}
          gpu:
            vendor: NVIDIA
            name: [H100, h200]
            memory: 80GB..
            count: 1..4
            total_memory: 160GB..
            compute_capability: 9.0
        """)
            .resources();

    assertThat(resources.cpu()).isEqualTo(new CpuSpec("arm", IntRange.atLeast(8)));
    assertThat(resources.memory()).isEqualTo(MemoryRange.parse("16GB"));
    assertThat(resources.disk()).isEqualTo(new MemoryRange(Memory.ofGb(100), Memory.ofGb(1024)));
    assertThat(resources.gpu())
        .isEqualTo(
            new GpuSpec(
                "nvidia",
                List.of("H100", "h200"),
                MemoryRange.atLeast(Memory.ofGb(80)),
                new IntRange(1, 4),
                MemoryRange.atLeast(Memory.ofGb(160)),
                "9.0"));
  }

  @Test
  void readsGpuNamesAsAStringOrCommaListAndCountsAsIntegers() {
    assertThat(
            task("type: task\ncommands: [a]\nresources: {gpu: {name: A100}}\n").resources().gpu())
        .isEqualTo(new GpuSpec(null, List.of("A100"), null, null, null, null));
    assertThat(
            task("type: task\ncommands: [a]\nresources: {gpu: {name: \"H100,H200\"}}\n")
                .resources()
                .gpu()
                .names())
        .containsExactly("H100", "H200");
    assertThat(task("type: task\ncommands: [a]\nresources: {gpu: 2}\n").resources().gpu())
        .isEqualTo(new GpuSpec(null, List.of(), null, IntRange.exactly(2), null, null));
    assertThat(
            task("type: task\ncommands: [a]\nresources: {gpu: {compute_capability: [8, 6]}}\n")
                .resources()
                .gpu()
                .computeCapability())
        .isEqualTo("8.6");
  }

  @Test
  void readsIntegerCpuAndBareNumberMemory() {
    ResourcesSpec resources =
        task("type: task\ncommands: [a]\nresources: {cpu: 4, memory: 0.5, shm_size: 512MB}\n")
            .resources();

    assertThat(resources.cpu()).isEqualTo(new CpuSpec(null, IntRange.exactly(4)));
    assertThat(resources.memory()).isEqualTo(new MemoryRange(Memory.ofMb(512), Memory.ofMb(512)));
    assertThat(resources.shmSize()).isEqualTo(Memory.ofMb(512));
    assertThat(resources.disk()).isNull();
    assertThat(resources.gpu()).isNull();
  }

  @Test
  void readsShellsAsNamesOrAbsolutePaths() {
    assertThat(task("type: task\ncommands: [a]\nshell: sh\n").shell()).isEqualTo("sh");
    assertThat(task("type: task\ncommands: [a]\nshell: /usr/bin/zsh\n").shell())
        .isEqualTo("/usr/bin/zsh");
  }

  @Test
  void keepsMultiLineCommandsWhole() {
    TaskConfiguration task =
        task("type: task\ncommands:\n  - |\n    for i in 1 2; do\n      echo $i\n    done\n");

    assertThat(task.commands()).containsExactly("for i in 1 2; do\n  echo $i\ndone\n");
  }

  @Test
  void aFileWithoutANameCanBeNamedAndItsEnvironmentResolved() {
    TaskConfiguration task = task("type: task\ncommands: [a]\nenv: [A=1, TOKEN]\n");

    TaskConfiguration resolved =
        task.withName("my-run").withEnv(task.env().resolve(Map.of("TOKEN", "secret")::get));
    TaskConfiguration multiNode =
        task("type: task\ncommands: [a]\nnodes: 4\npreemptible: true\nmax_price: 1\n")
            .withName("my-run");

    assertThat(resolved.name()).isEqualTo("my-run");
    assertThat(resolved.env().isResolved()).isTrue();
    assertThat(resolved.env().values())
        .containsExactly(Map.entry("A", "1"), Map.entry("TOKEN", "secret"));
    assertThat(multiNode.nodes()).isEqualTo(4);
    assertThat(multiNode.preemptible()).isTrue();
    assertThat(multiNode.withEnv(Environment.EMPTY).maxPrice()).isEqualTo(1.0);
  }
}
