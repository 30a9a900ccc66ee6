package dev.bosun.model.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.bosun.model.resources.CpuSpec;
import dev.bosun.model.resources.GpuSpec;
import dev.bosun.model.resources.IntRange;
import dev.bosun.model.resources.Memory;
import dev.bosun.model.resources.MemoryRange;
import dev.bosun.model.resources.ResourcesSpec;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * {@code type: service} files: every field bound, dstack's examples read, every mistake located.
 */
class ServiceConfigurationTest {
  private static final String HEAD = "type: service\ncommands: [serve]\nport: 8000\n";

  private static ServiceConfiguration service(String yaml) {
    return (ServiceConfiguration) ConfigurationParser.parse(yaml, "svc.bosun.yml");
  }

  private static List<ConfigurationError> errors(String yaml) {
    ConfigurationException e =
        catchThrowableOfType(
            ConfigurationException.class, () -> ConfigurationParser.parse(yaml, "svc.bosun.yml"));
    assertThat(e).as("parsing should fail:\n%s", yaml).isNotNull();
    return e.errors();
  }

  private static ConfigurationError onlyError(String yaml) {
    List<ConfigurationError> errors = errors(yaml);
    assertThat(errors).hasSize(1);
    return errors.getFirst();
  }

  @Test
  void readsEveryFieldOfAService() {
    String file = "service.bosun.yml";
    ServiceConfiguration service =
        (ServiceConfiguration)
            ConfigurationParser.parse(ConfigurationParserTest.resource(file), file);

    assertThat(service.type()).isEqualTo("service").isEqualTo(ServiceConfiguration.TYPE);
    assertThat(service.name()).isEqualTo("llama-chat");
    assertThat(service.commands())
        .containsExactly(
            "pip install vllm",
            "vllm serve meta-llama/Meta-Llama-3.1-8B-Instruct --max-model-len 4096");
    assertThat(service.port()).isEqualTo(8000);
    assertThat(service.publicPort()).isEqualTo(80);
    assertThat(service.portAsWritten()).isEqualTo("80:8000");
    assertThat(service.replicas()).isEqualTo(new ReplicaRange(1, 4));
    assertThat(service.scaling())
        .isEqualTo(
            new ScalingSpec(
                "rps",
                10.5,
                Duration.ofMinutes(2),
                Duration.ofSeconds(90),
                Duration.ofMinutes(15)));
    assertThat(service.isAutoscaled()).isTrue();
    assertThat(service.probes())
        .containsExactly(
            ProbeSpec.http("/health"),
            new ProbeSpec(
                "http",
                "/v1/chat/completions",
                "post",
                List.of(
                    new ProbeSpec.Header("Content-Type", "application/json"),
                    new ProbeSpec.Header("Authorization", "Bearer probe-token")),
                "{\"model\": \"llama\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}",
                Duration.ofSeconds(30),
                Duration.ofMinutes(1),
                3));
    assertThat(service.auth()).isFalse();
    assertThat(service.model())
        .isEqualTo(new ModelSpec("meta-llama/Meta-Llama-3.1-8B-Instruct", "/openai/v1"));
    assertThat(service.rateLimits())
        .containsExactly(
            new RateLimitSpec("/v1/chat", RateLimitSpec.Key.header("X-Api-Key"), 2.5, 5),
            new RateLimitSpec("/", RateLimitSpec.Key.IP, 100, 0));
    assertThat(service.stripPrefix()).isFalse();
    assertThat(service.env().values()).containsExactly(Map.entry("VLLM_LOGGING_LEVEL", "INFO"));
    assertThat(service.env().fromSubmitter()).containsExactly("HF_TOKEN");
    assertThat(service.workingDir()).isEqualTo("/workspace");
    assertThat(service.shell()).isEqualTo("bash");
    assertThat(service.container().image()).isEqualTo("vllm/vllm-openai:latest");
    assertThat(service.container().entrypoint()).isEqualTo("/bin/bash -lc");
    assertThat(service.container().volumes())
        .containsExactly(InstanceVolume.parse("/root/.cache/huggingface:/root/.cache/huggingface"));
    assertThat(service.hasContainer()).isTrue();
    assertThat(service.resources())
        .isEqualTo(
            new ResourcesSpec(
                new CpuSpec(null, IntRange.atLeast(8)),
                MemoryRange.atLeast(Memory.ofGb(32)),
                null,
                Memory.ofGb(16),
                GpuSpec.parse("24GB..:1")));
    assertThat(service.priority()).isEqualTo(70);
    assertThat(service.preemptible()).isFalse();
    assertThat(service.retry())
        .isEqualTo(
            new RetryPolicy(
                EnumSet.of(RetryEvent.INTERRUPTION, RetryEvent.NO_CAPACITY), Duration.ofHours(2)));
    assertThat(service.maxDuration()).isEqualTo(TimeLimit.OFF);
    assertThat(service.stopDuration()).isEqualTo(TimeLimit.of(Duration.ofMinutes(2)));
    assertThat(service.fleets()).containsExactly("gpu-rack");
    assertThat(service.backends()).containsExactly("ssh", "local");
    assertThat(service.instanceTypes()).containsExactly("g5.2xlarge");
    assertThat(service.maxPrice()).isEqualTo(3.0);
    assertThat(service.tags())
        .containsExactly(Map.entry("team", "inference"), Map.entry("model", "llama"));
    assertThat(service.ports()).isEmpty();
    assertThat(service.startupOrder()).isEqualTo(StartupOrder.ANY);
    assertThat(service.stopCriteria()).isEqualTo(StopCriteria.ALL_DONE);
  }

  @Test
  void readsDstacksVllmService() {
    ServiceConfiguration service =
        service(
            """
            type: service
            name: llama
            image: vllm/vllm-openai:latest
            env: [HF_TOKEN]
            commands: [vllm serve meta-llama/Meta-Llama-3.1-8B-Instruct --max-model-len 4096]
            port: 8000
            model: meta-llama/Meta-Llama-3.1-8B-Instruct
            resources:
              gpu: 24GB
            """);

    assertThat(service.name()).isEqualTo("llama");
    assertThat(service.container()).isEqualTo(ContainerConfig.ofImage("vllm/vllm-openai:latest"));
    assertThat(service.env().fromSubmitter()).containsExactly("HF_TOKEN");
    assertThat(service.commands())
        .containsExactly("vllm serve meta-llama/Meta-Llama-3.1-8B-Instruct --max-model-len 4096");
    assertThat(service.port()).isEqualTo(8000);
    assertThat(service.publicPort()).isNull();
    assertThat(service.model()).isEqualTo(ModelSpec.named("meta-llama/Meta-Llama-3.1-8B-Instruct"));
    assertThat(service.model().prefix()).isEqualTo("/v1");
    assertThat(service.resources().gpu()).isEqualTo(GpuSpec.parse("24GB"));
    assertThat(service.replicas()).isEqualTo(ReplicaRange.ONE);
    assertThat(service.scaling()).isNull();
    assertThat(service.auth()).isTrue();
    assertThat(service.stripPrefix()).isTrue();
    assertThat(ConfigurationParser.parseAny("type: service\ncommands: [a]\nport: 80\n", null))
        .isInstanceOf(ServiceConfiguration.class);
  }

  @Test
  void readsDstacksAutoscaledServiceWithItsModelMapping() {
    ServiceConfiguration service =
        service(
            """
            type: service
            python: "3.12"
            commands:
              - pip install vllm
              - vllm serve $MODEL_ID --max-model-len 4096
            env:
              - MODEL_ID=meta-llama/Meta-Llama-3.1-8B-Instruct
            port: 8000
            model:
              type: chat
              name: meta-llama/Meta-Llama-3.1-8B-Instruct
              format: openai
            replicas: 1..4
            scaling:
              metric: rps
              target: 10
            resources:
              gpu: 24GB..:1
            """);

    assertThat(service.replicas()).isEqualTo(new ReplicaRange(1, 4));
    assertThat(service.scaling()).isEqualTo(ScalingSpec.rps(10));
    assertThat(service.scaling().window()).isEqualTo(Duration.ofSeconds(60));
    assertThat(service.scaling().scaleUpDelay()).isEqualTo(Duration.ofMinutes(5));
    assertThat(service.scaling().scaleDownDelay()).isEqualTo(Duration.ofMinutes(10));
    assertThat(service.model())
        .isEqualTo(new ModelSpec("meta-llama/Meta-Llama-3.1-8B-Instruct", "/v1"));
    assertThat(service.container()).isEqualTo(ContainerConfig.ofPython("3.12"));
  }

  @Test
  void needsOnlyItsTypeCommandsAndPort() {
    ServiceConfiguration service = service(HEAD);

    assertThat(service).isEqualTo(ServiceConfiguration.of(List.of("serve"), 8000));
    assertThat(service.replicas()).isEqualTo(ReplicaRange.ONE);
    assertThat(service.scaling()).isNull();
    assertThat(service.isAutoscaled()).isFalse();
    assertThat(service.probes()).isEmpty();
    assertThat(service.auth()).isTrue();
    assertThat(service.model()).isNull();
    assertThat(service.rateLimits()).isEmpty();
    assertThat(service.stripPrefix()).isTrue();
    assertThat(service.env()).isEqualTo(Environment.EMPTY);
    assertThat(service.resources()).isEqualTo(ResourcesSpec.UNSPECIFIED);
    assertThat(service.ports()).isEmpty();
    assertThat(service.hasContainer()).isFalse();
    assertThat(service.portAsWritten()).isEqualTo("8000");
    assertThat(service(HEAD + "replicas:\nprobes: []\nrate_limits: []\nauth: true\n"))
        .isEqualTo(service);
  }

  @Test
  void readsThePortInEachForm() {
    assertThat(service("type: service\ncommands: [a]\nport: \"8080\"\n").port()).isEqualTo(8080);
    ServiceConfiguration mapped = service("type: service\ncommands: [a]\nport: 80:8000\n");
    assertThat(mapped.port()).isEqualTo(8000);
    assertThat(mapped.publicPort()).isEqualTo(80);
    assertThat(service("type: service\ncommands: [a]\nport: \" 443 : 8443 \"\n").portAsWritten())
        .isEqualTo("443:8443");
  }

  @Test
  void refusesAMissingOrBadPort() {
    assertThat(onlyError("type: service\ncommands: [a]\n"))
        .isEqualTo(
            new ConfigurationError(
                "svc.bosun.yml",
                1,
                1,
                "port",
                "field 'port' is required: the port the service's replicas listen on, e.g. port:"
                    + " 8000"));
    assertThat(onlyError("type: service\ncommands: [a]\nport: 0\n"))
        .isEqualTo(
            new ConfigurationError(
                "svc.bosun.yml", 3, 7, "port", "invalid port '0': ports go from 1 to 65535"));
    assertThat(onlyError("type: service\ncommands: [a]\nport: 70000\n").message())
        .isEqualTo("invalid port '70000': ports go from 1 to 65535");
    assertThat(onlyError("type: service\ncommands: [a]\nport: \"80:0\"\n").message())
        .isEqualTo("invalid port '80:0': ports go from 1 to 65535");
    assertThat(onlyError("type: service\ncommands: [a]\nport: \"*:8000\"\n").message())
        .isEqualTo(
            "invalid port '*:8000': a service is reached through the server's proxy, so it has no"
                + " local port to choose; expected a port from 1 to 65535 that the replicas listen"
                + " on, e.g. 8000 (or dstack's \"80:8000\")");
    assertThat(onlyError("type: service\ncommands: [a]\nport: http\n").message())
        .isEqualTo(
            "invalid port 'http': expected a port from 1 to 65535 that the replicas listen on,"
                + " e.g. 8000 (or dstack's \"80:8000\")");
    assertThat(onlyError("type: service\ncommands: [a]\nport: [8000]\n").message())
        .isEqualTo("expected a port such as 8000, found a list");
  }

  @Test
  void refusesMissingOrEmptyCommands() {
    assertThat(onlyError("type: service\nport: 8000\n"))
        .isEqualTo(
            new ConfigurationError(
                "svc.bosun.yml",
                1,
                1,
                "commands",
                "field 'commands' is required: the shell commands that start the server, e.g."
                    + " commands: [\"python -m http.server 8000\"]"));
    assertThat(onlyError("type: service\nport: 8000\ncommands: []\n").message())
        .startsWith("commands must hold at least one command");
  }

  @Test
  void readsReplicasAsACountOrARange() {
    assertThat(service(HEAD + "replicas: 3\n").replicas()).isEqualTo(ReplicaRange.exactly(3));
    assertThat(service(HEAD + "replicas: \"2\"\n").replicas()).isEqualTo(ReplicaRange.exactly(2));
    assertThat(service(HEAD + "replicas: 2..2\n").replicas()).isEqualTo(ReplicaRange.exactly(2));
    String scaling = "scaling: {metric: rps, target: 1}\n";
    assertThat(service(HEAD + "replicas: 0..4\n" + scaling).replicas())
        .isEqualTo(new ReplicaRange(0, 4));
    assertThat(service(HEAD + "replicas: ..4\n" + scaling).replicas())
        .isEqualTo(new ReplicaRange(0, 4));
    assertThat(service(HEAD + "replicas: \" 1 .. 100 \"\n" + scaling).replicas())
        .isEqualTo(new ReplicaRange(1, 100));
  }

  @Test
  void refusesBadReplicas() {
    assertThat(onlyError(HEAD + "replicas: 1..\n"))
        .isEqualTo(
            new ConfigurationError(
                "svc.bosun.yml",
                4,
                11,
                "replicas",
                "invalid replicas '1..': a range of replicas needs a maximum, e.g. 1..4"));
    assertThat(onlyError(HEAD + "replicas: 4..2\n").message())
        .isEqualTo(
            "invalid replicas 4..2: the minimum is above the maximum; write the fewer first, e.g."
                + " 2..4");
    assertThat(onlyError(HEAD + "replicas: 0\n").message())
        .isEqualTo(
            "invalid replicas 0: a service runs at least 1 replica at its most; for one that runs"
                + " none while idle, write a range such as 0..1 with scaling");
    assertThat(onlyError(HEAD + "replicas: 101\n").message())
        .isEqualTo("invalid replicas 101: a service runs at most 100 replicas");
    assertThat(onlyError(HEAD + "replicas: 1..1000\n").message())
        .isEqualTo("invalid replicas 1..1000: a service runs at most 100 replicas");
    assertThat(onlyError(HEAD + "replicas: 99999999999\n").message())
        .isEqualTo("invalid replicas '99999999999': a service runs at most 100 replicas");
    assertThat(onlyError(HEAD + "replicas: -1\n").message())
        .isEqualTo(
            "invalid replicas '-1': expected a number of replicas from 1 to 100, or a range"
                + " MIN..MAX such as 1..4 or 0..4");
    assertThat(onlyError(HEAD + "replicas: 1.5\n").message()).startsWith("invalid replicas '1.5'");
    assertThat(onlyError(HEAD + "replicas: [1, 4]\n").message())
        .startsWith("expected a number of replicas from 1 to 100");
  }

  @Test
  void aRangeOfReplicasNeedsScaling() {
    ConfigurationError error = onlyError(HEAD + "replicas: 0..4\n");

    assertThat(error)
        .isEqualTo(
            new ConfigurationError(
                "svc.bosun.yml",
                4,
                11,
                "scaling",
                "replicas: 0..4 is a range, so the service needs scaling to decide how many run,"
                    + " e.g. scaling: {metric: rps, target: 10}"));
    assertThat(error.toString())
        .isEqualTo(
            "svc.bosun.yml:4:11: scaling: replicas: 0..4 is a range, so the service needs scaling"
                + " to decide how many run, e.g. scaling: {metric: rps, target: 10}");
  }

  @Test
  void scalingNeedsARangeOfReplicas() {
    ConfigurationError fixed =
        onlyError(HEAD + "replicas: 2\nscaling:\n  metric: rps\n  target: 10\n");
    assertThat(fixed)
        .isEqualTo(
            new ConfigurationError(
                "svc.bosun.yml",
                5,
                1,
                "scaling",
                "scaling decides how many replicas run within a range, but replicas is fixed at"
                    + " 2; give a range such as replicas: 1..2, or leave scaling out"));
    assertThat(onlyError(HEAD + "scaling: {metric: rps, target: 10}\n").message())
        .isEqualTo(
            "scaling decides how many replicas run within a range, but replicas is fixed at 1"
                + " (the default); give a range such as replicas: 1..4, or leave scaling out");
  }

  @Test
  void refusesBadScaling() {
    String range = HEAD + "replicas: 1..4\n";
    ConfigurationError metric = onlyError(range + "scaling:\n  metric: rpss\n  target: 10\n");
    assertThat(metric)
        .isEqualTo(
            new ConfigurationError(
                "svc.bosun.yml",
                6,
                11,
                "scaling.metric",
                "unknown metric 'rpss'; did you mean 'rps'? Supported: rps"));
    // two edits from rps: too far to guess
    assertThat(onlyError(range + "scaling: {metric: rsp, target: 10}\n").message())
        .isEqualTo("unknown metric 'rsp'; supported: rps");
    assertThat(onlyError(range + "scaling: {metric: gpu, target: 10}\n").message())
        .isEqualTo("unknown metric 'gpu'; supported: rps");
    assertThat(service(range + "scaling: {metric: RPS, target: 10}\n").scaling().metric())
        .isEqualTo("rps");
    ConfigurationError missing = onlyError(range + "scaling:\n  target: 10\n");
    assertThat(missing)
        .isEqualTo(
            new ConfigurationError(
                "svc.bosun.yml",
                6,
                3,
                "scaling.metric",
                "field 'metric' is required in scaling: what to scale on, metric: rps (requests"
                    + " per second)"));
    assertThat(onlyError(range + "scaling: {metric: rps}\n").message())
        .isEqualTo(
            "field 'target' is required in scaling: the requests per second each replica should"
                + " get, e.g. target: 10");
    assertThat(onlyError(range + "scaling: {metric: rps, target: 0}\n").message())
        .isEqualTo("invalid target '0': expected a number above 0, e.g. 10");
    assertThat(onlyError(range + "scaling: {metric: rps, target: ten}\n").message())
        .isEqualTo("invalid target 'ten': expected a number above 0, e.g. 10");
    assertThat(onlyError(range + "scaling: {metric: rps, target: 1e99999999999}\n").message())
        .isEqualTo("invalid target '1e99999999999': expected a number above 0, e.g. 10");
    assertThat(onlyError(range + "scaling: {metric: rps, target: 1e400}\n").message())
        .isEqualTo("invalid target '1e400': expected a number above 0, e.g. 10");
    assertThat(service(range + "scaling: {metric: rps, target: \"2.5\"}\n").scaling().target())
        .isEqualTo(2.5);
    assertThat(onlyError(range + "scaling: {metric: rps, target: 1, window: 0s}\n").message())
        .isEqualTo("invalid window 0s: requests are averaged over at least 1s, e.g. window: 60s");
    ConfigurationError window =
        onlyError(range + "scaling: {metric: rps, target: 1, window: 1x}\n");
    assertThat(window.path()).isEqualTo("scaling.window");
    assertThat(window.message())
        .isEqualTo(
            "invalid duration '1x': expected a whole number of seconds or a number with unit s,"
                + " m, h, d or w (e.g. 90s, 30m, 2h, 1d or 1h30m)");
    assertThat(
            service(
                    range
                        + "scaling: {metric: rps, target: 0.5, scale_up_delay: 0, scale_down_delay: 30}\n")
                .scaling())
        .isEqualTo(new ScalingSpec("rps", 0.5, null, Duration.ZERO, Duration.ofSeconds(30)));
    assertThat(onlyError(range + "scaling: {metric: rps, target: 1, targt: 2}\n").message())
        .startsWith("unknown field 'targt' in scaling; did you mean 'target'?");
    assertThat(onlyError(range + "scaling: rps\n").message())
        .isEqualTo("expected a mapping such as {metric: rps, target: 10}, found the text 'rps'");
  }

  @Test
  void readsProbesWithTheirDefaults() {
    ServiceConfiguration service =
        service(
            HEAD
                + "probes:\n  - type: http\n  - {type: HTTP, method: HEAD, url: \"/ready?full=1\"}\n");

    assertThat(service.probes()).hasSize(2);
    ProbeSpec first = service.probes().getFirst();
    assertThat(first).isEqualTo(ProbeSpec.http("/"));
    assertThat(first.method()).isEqualTo("get");
    assertThat(first.headers()).isEmpty();
    assertThat(first.body()).isNull();
    assertThat(first.timeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(first.interval()).isEqualTo(Duration.ofSeconds(15));
    assertThat(first.readyAfter()).isEqualTo(1);
    assertThat(service.probes().get(1).method()).isEqualTo("head");
    assertThat(service.probes().get(1).url()).isEqualTo("/ready?full=1");
  }

  @Test
  void refusesBadProbes() {
    assertThat(onlyError(HEAD + "probes:\n  - url: /health\n"))
        .isEqualTo(
            new ConfigurationError(
                "svc.bosun.yml",
                5,
                5,
                "probes[0].type",
                "field 'type' is required in probes[0]: the kind of probe, type: http"));
    assertThat(onlyError(HEAD + "probes: [{type: tcp}]\n").message())
        .isEqualTo("unknown probe type 'tcp'; supported: http");
    assertThat(onlyError(HEAD + "probes: [{type: htp}]\n").message())
        .isEqualTo("unknown probe type 'htp'; did you mean 'http'? Supported: http");
    ConfigurationError method = onlyError(HEAD + "probes:\n  - type: http\n    method: gett\n");
    assertThat(method)
        .isEqualTo(
            new ConfigurationError(
                "svc.bosun.yml",
                6,
                13,
                "probes[0].method",
                "unknown method 'gett'; did you mean 'get'? Supported: get, post, put, patch,"
                    + " delete, head"));
    assertThat(onlyError(HEAD + "probes: [{type: http, url: health}]\n").message())
        .isEqualTo("invalid url 'health': a path starts with '/', e.g. /health");
    assertThat(onlyError(HEAD + "probes: [{type: http, url: \"/a b\"}]\n").message())
        .isEqualTo("invalid url '/a b': a path has no spaces; write a space as %20");
    ConfigurationError body = onlyError(HEAD + "probes:\n  - type: http\n    body: '{}'\n");
    assertThat(body)
        .isEqualTo(
            new ConfigurationError(
                "svc.bosun.yml",
                6,
                11,
                "probes[0].body",
                "a get request has no body; give method: post (or put, patch or delete) to send"
                    + " one, or leave body out"));
    assertThat(onlyError(HEAD + "probes: [{type: http, timeout: 0}]\n").message())
        .isEqualTo("invalid timeout 0s: expected at least 1s");
    assertThat(onlyError(HEAD + "probes: [{type: http, interval: soon}]\n").path())
        .isEqualTo("probes[0].interval");
    assertThat(onlyError(HEAD + "probes: [{type: http, ready_after: 0}]\n").message())
        .isEqualTo("invalid ready_after 0: a replica is ready after at least 1 successful probe");
    assertThat(onlyError(HEAD + "probes: [{type: http, ready_after: 1.5}]\n").message())
        .isEqualTo("expected a whole number from 1, found the number 1.5");
    assertThat(onlyError(HEAD + "probes: [{type: http, headers: [{name: \"X Bad\", value: v}]}]\n"))
        .satisfies(
            error -> {
              assertThat(error.path()).isEqualTo("probes[0].headers[0].name");
              assertThat(error.message())
                  .isEqualTo(
                      "invalid header name 'X Bad': a header name is letters, digits and"
                          + " !#$%&'*+-.^_`|~, e.g. X-Api-Key");
            });
    assertThat(onlyError(HEAD + "probes: [{type: http, headers: [{name: A}]}]\n").message())
        .isEqualTo(
            "field 'value' is required in probes[0].headers[0]: the header's value, e.g. value:"
                + " Bearer x");
    assertThat(onlyError(HEAD + "probes: [{type: http, path: /x}]\n").message())
        .startsWith("unknown field 'path' in probes[0]; allowed fields: type, url, method");
    assertThat(onlyError(HEAD + "probes: {type: http}\n").message())
        .isEqualTo(
            "expected a list of probes such as [{type: http, url: /health}], found a mapping");
  }

  @Test
  void refusesMoreThanTenProbes() {
    String eleven =
        IntStream.range(0, 11).mapToObj(i -> "{type: http}").collect(Collectors.joining(", "));
    ConfigurationError error = onlyError(HEAD + "probes: [" + eleven + "]\n");

    assertThat(error.path()).isEqualTo("probes");
    assertThat(error.line()).isEqualTo(4);
    assertThat(error.column()).isEqualTo(9);
    assertThat(error.message())
        .isEqualTo(
            "a service has at most 10 probes, found 11; one probe of a health endpoint is usually"
                + " enough");
    String ten =
        IntStream.range(0, 10).mapToObj(i -> "{type: http}").collect(Collectors.joining(", "));
    assertThat(service(HEAD + "probes: [" + ten + "]\n").probes()).hasSize(10);
  }

  @Test
  void readsTheModelAsANameOrAMapping() {
    assertThat(service(HEAD + "model: mistral\n").model())
        .isEqualTo(new ModelSpec("mistral", "/v1"));
    assertThat(service(HEAD + "model: {name: mistral}\n").model())
        .isEqualTo(new ModelSpec("mistral", "/v1"));
    assertThat(service(HEAD + "model: {name: mistral, prefix: /api/v1}\n").model().prefix())
        .isEqualTo("/api/v1");

    assertThat(onlyError(HEAD + "model:\n  type: chat\n  format: openai\n"))
        .isEqualTo(
            new ConfigurationError(
                "svc.bosun.yml",
                5,
                3,
                "model.name",
                "field 'name' is required in model: the model's name, e.g. name:"
                    + " meta-llama/Meta-Llama-3.1-8B-Instruct"));
    ConfigurationError tgi = onlyError(HEAD + "model:\n  name: m\n  format: tgi\n");
    assertThat(tgi.path()).isEqualTo("model.format");
    assertThat(tgi.message())
        .isEqualTo(
            "unknown model format 'tgi'; supported: openai (Bosun's proxy speaks the OpenAI API;"
                + " dstack's tgi format is not supported)");
    assertThat(onlyError(HEAD + "model: {name: m, type: completion}\n").message())
        .isEqualTo("unknown model type 'completion'; supported: chat");
    assertThat(onlyError(HEAD + "model: {name: m, chat_template: x}\n").message())
        .isEqualTo(
            "field 'chat_template' does not apply here: it belongs to dstack's tgi model format;"
                + " Bosun serves models in the openai format, whose servers apply their own chat"
                + " template");
    assertThat(onlyError(HEAD + "model: \"my model\"\n").message())
        .isEqualTo(
            "invalid model name 'my model': a model name has no spaces, e.g."
                + " meta-llama/Meta-Llama-3.1-8B-Instruct");
    assertThat(onlyError(HEAD + "model: {name: m, prefix: v1}\n").message())
        .isEqualTo("invalid prefix 'v1': a path starts with '/', e.g. /v1");
    assertThat(onlyError(HEAD + "model: [m]\n").message())
        .isEqualTo(
            "expected a model name such as meta-llama/Meta-Llama-3.1-8B-Instruct, or a mapping"
                + " with name, found a list");
  }

  @Test
  void readsRateLimits() {
    ServiceConfiguration service =
        service(
            HEAD
                + """
                rate_limits:
                  - {prefix: /v1, rps: 1}
                  - {prefix: /v1, key: {type: header, header: X-Api-Key}, rps: 5, burst: 10}
                  - {prefix: /v1, key: {type: header, header: X-Team}, rps: 5}
                  - {prefix: /v2, key: {type: ip_address}, rps: 0.5}
                """);

    assertThat(service.rateLimits())
        .containsExactly(
            new RateLimitSpec("/v1", RateLimitSpec.Key.IP, 1, 0),
            new RateLimitSpec("/v1", RateLimitSpec.Key.header("X-Api-Key"), 5, 10),
            new RateLimitSpec("/v1", RateLimitSpec.Key.header("X-Team"), 5, 0),
            new RateLimitSpec("/v2", RateLimitSpec.Key.IP, 0.5, 0));
  }

  @Test
  void refusesTwoRateLimitsWithTheSamePrefixAndKey() {
    ConfigurationError error =
        onlyError(
            HEAD
                + "rate_limits:\n  - {rps: 1}\n  - {prefix: /v1, rps: 2}\n"
                + "  - {prefix: /, key: {type: ip_address}, rps: 3}\n");
    assertThat(error)
        .isEqualTo(
            new ConfigurationError(
                "svc.bosun.yml",
                7,
                5,
                "rate_limits[2]",
                "this rate limit has the same prefix / and key (ip_address) as rate_limits[0];"
                    + " give each prefix and key one limit"));
    assertThat(
            onlyError(
                    HEAD
                        + "rate_limits:\n"
                        + "  - {key: {type: header, header: X-Key}, rps: 1}\n"
                        + "  - {key: {type: header, header: x-key}, rps: 2}\n")
                .message())
        .isEqualTo(
            "this rate limit has the same prefix / and key (header x-key) as rate_limits[0]; give"
                + " each prefix and key one limit");
  }

  @Test
  void refusesBadRateLimits() {
    assertThat(onlyError(HEAD + "rate_limits: [{prefix: /}]\n"))
        .isEqualTo(
            new ConfigurationError(
                "svc.bosun.yml",
                4,
                15,
                "rate_limits[0].rps",
                "field 'rps' is required in rate_limits[0]: the requests per second each key may"
                    + " send, e.g. rps: 10"));
    assertThat(onlyError(HEAD + "rate_limits: [{rps: 0}]\n").message())
        .isEqualTo("invalid rps '0': expected a number above 0, e.g. 10");
    assertThat(onlyError(HEAD + "rate_limits: [{rps: 1, burst: -1}]\n").message())
        .isEqualTo("invalid burst -1: expected a whole number from 0 (no burst)");
    ConfigurationError keyType =
        onlyError(HEAD + "rate_limits:\n  - rps: 1\n    key:\n      type: ip_adress\n");
    assertThat(keyType)
        .isEqualTo(
            new ConfigurationError(
                "svc.bosun.yml",
                7,
                13,
                "rate_limits[0].key.type",
                "unknown key type 'ip_adress'; did you mean 'ip_address'? Supported: ip_address,"
                    + " header"));
    assertThat(onlyError(HEAD + "rate_limits: [{rps: 1, key: {type: header}}]\n"))
        .satisfies(
            error -> {
              assertThat(error.path()).isEqualTo("rate_limits[0].key.header");
              assertThat(error.message())
                  .isEqualTo(
                      "field 'header' is required in rate_limits[0].key of type header: the header"
                          + " whose value is the key, e.g. header: X-Api-Key");
            });
    assertThat(
            onlyError(HEAD + "rate_limits: [{rps: 1, key: {type: ip_address, header: X-Key}}]\n")
                .message())
        .isEqualTo(
            "a key of type ip_address takes no header; write {type: header, header: X-Key} to"
                + " count requests by a header");
    assertThat(onlyError(HEAD + "rate_limits: [{rps: 1, key: ip_address}]\n").message())
        .isEqualTo(
            "expected a key such as {type: ip_address} or {type: header, header: X-Api-Key}, found"
                + " the text 'ip_address'");
    assertThat(onlyError(HEAD + "rate_limits: [{rps: 1, prefix: v1}]\n").path())
        .isEqualTo("rate_limits[0].prefix");
  }

  @Test
  void readsAuthAndStripPrefixAsBooleans() {
    assertThat(service(HEAD + "auth: false\n").auth()).isFalse();
    assertThat(service(HEAD + "strip_prefix: false\n").stripPrefix()).isFalse();
    assertThat(service(HEAD + "strip_prefix: true\n").stripPrefix()).isTrue();
    assertThat(onlyError(HEAD + "auth: maybe\n"))
        .isEqualTo(
            new ConfigurationError(
                "svc.bosun.yml", 4, 7, "auth", "expected true or false, found the text 'maybe'"));
  }

  @Test
  void refusesTheFieldsOfOtherRunTypesWithWhatToDoInstead() {
    assertThat(onlyError(HEAD + "ports: [8000]\n"))
        .isEqualTo(
            new ConfigurationError(
                "svc.bosun.yml",
                4,
                1,
                "ports",
                "field 'ports' does not apply here: a service is reached through the server's"
                    + " proxy, not through forwarded ports; give the port its replicas listen on as"
                    + " port: 8000"));
    assertThat(onlyError(HEAD + "nodes: 2\n").message())
        .isEqualTo(
            "field 'nodes' does not apply here: each replica of a service is one job on one host;"
                + " give replicas for more of them, or use type: task for a multi-node run");
    assertThat(onlyError(HEAD + "startup_order: master-first\n").message())
        .isEqualTo(
            "field 'startup_order' does not apply here: the replicas of a service start"
                + " independently; startup_order is for multi-node tasks");
    assertThat(onlyError(HEAD + "stop_criteria: master-done\n").message())
        .isEqualTo(
            "field 'stop_criteria' does not apply here: a service runs until it is stopped;"
                + " stop_criteria is for multi-node tasks");
    assertThat(onlyError(HEAD + "ide: vscode\n").message())
        .isEqualTo(
            "field 'ide' does not apply here: a service has no IDE; use type: dev-environment to"
                + " work on a host over SSH");
    assertThat(onlyError(HEAD + "init: [a]\n").message())
        .isEqualTo(
            "field 'init' does not apply here: a service runs commands; put setup lines at the"
                + " start of commands");
    assertThat(onlyError(HEAD + "inactivity_duration: 1h\n").message())
        .isEqualTo(
            "field 'inactivity_duration' does not apply here: a service is not stopped for want of"
                + " SSH sessions; to run no replicas while it gets no requests, give replicas:"
                + " 0..N with scaling");
  }

  @Test
  void refusesDstacksGatewayFieldsAsComingLater() {
    ConfigurationError https = onlyError(HEAD + "https: true\n");
    assertThat(https)
        .isEqualTo(
            new ConfigurationError(
                "svc.bosun.yml",
                4,
                1,
                "https",
                "field 'https' is not supported yet by Bosun (the server's proxy serves services;"
                    + " gateways come in a later release)"));
    assertThat(onlyError(HEAD + "gateway: my-gateway\n").message())
        .isEqualTo(
            "field 'gateway' is not supported yet by Bosun (the server's proxy serves services;"
                + " gateways come in a later release)");
    assertThat(onlyError(HEAD + "spot_policy: auto\n").message())
        .startsWith("field 'spot_policy' is not supported yet by Bosun");
  }

  @Test
  void suggestsTheFieldAMisspeltOneMeant() {
    ConfigurationError error = onlyError(HEAD + "replica: 2\n");

    assertThat(error.line()).isEqualTo(4);
    assertThat(error.message())
        .startsWith("unknown field 'replica'; did you mean 'replicas'? Allowed fields:");
    assertThat(onlyError(HEAD + "foo: 1\n").message())
        .isEqualTo(
            "unknown field 'foo'; allowed fields: type, name, commands, port, replicas, scaling,"
                + " probes, model, auth, rate_limits, strip_prefix, env, working_dir, shell, image,"
                + " python, entrypoint, user, privileged, registry_auth, volumes, resources,"
                + " priority, preemptible, retry, max_duration, stop_duration, fleets, backends,"
                + " instance_types, max_price, tags");
  }

  @Test
  void appliesTheContainerRulesOfTasks() {
    assertThat(onlyError(HEAD + "user: root\n").message())
        .startsWith("'user' needs a container: give 'image' (or 'python') too");
    assertThat(onlyError(HEAD + "image: ubuntu\npython: \"3.12\"\n").path()).isEqualTo("python");
  }

  @Test
  void collectsErrorsFromSharedAndOwnFieldsInFileOrder() {
    List<ConfigurationError> errors =
        errors(
            """
            type: service
            name: Bad
            commands: [serve]
            port: 0
            replicas: 1..
            probes: [{type: tcp}]
            priority: 101
            ports: [8000]
            """);

    assertThat(errors)
        .extracting(ConfigurationError::path)
        .containsExactly("name", "port", "replicas", "probes[0].type", "priority", "ports");
  }

  @Test
  void keepsTheOtherFieldsWhenRenamedOrGivenAnotherEnvironment() {
    ServiceConfiguration service = service(ConfigurationParserTest.resource("service.bosun.yml"));

    ServiceConfiguration renamed = service.withName("other");
    ServiceConfiguration resolved =
        service.withEnv(service.env().resolve(Map.of("HF_TOKEN", "t")::get));

    assertThat(renamed.name()).isEqualTo("other");
    assertThat(renamed.withName(service.name())).isEqualTo(service);
    assertThat(resolved.env().isResolved()).isTrue();
    assertThat(resolved.withEnv(service.env())).isEqualTo(service);
  }

  @Test
  void theRecordsCheckWhatTheParserChecks() {
    assertThatThrownBy(() -> serviceWith(new ReplicaRange(0, 4), null, List.of(), List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("replicas: 0..4 is a range, so the service needs scaling");
    assertThatThrownBy(() -> serviceWith(null, ScalingSpec.rps(1), List.of(), List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("scaling decides how many replicas run within a range");
    assertThatThrownBy(
            () ->
                serviceWith(
                    null, null, java.util.Collections.nCopies(11, ProbeSpec.http("/")), List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("a service has at most 10 probes");
    RateLimitSpec limit = new RateLimitSpec(null, null, 1, 0);
    assertThatThrownBy(() -> serviceWith(null, null, List.of(), List.of(limit, limit)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("this rate limit has the same prefix / and key (ip_address)");
    assertThatThrownBy(() -> ServiceConfiguration.of(List.of("a"), 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("invalid port 0: ports go from 1 to 65535");
    assertThatThrownBy(() -> ServiceConfiguration.of(List.of(), 80))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("commands must hold at least one command");
    assertThatThrownBy(() -> new ScalingSpec("cpu", 1, null, null, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unknown metric 'cpu'; supported: rps");
    assertThatThrownBy(() -> ScalingSpec.rps(Double.NaN))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ProbeSpec("http", null, "get", null, "x", null, null, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("a get request has no body");
    assertThatThrownBy(() -> new ProbeSpec.Header("A", "x\r\nB: y"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the value of header A must not hold a line break");
    assertThatThrownBy(() -> new RateLimitSpec.Key("ip_address", "X"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ModelSpec.named(" "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("the model name must not be blank");
    assertThat(
            serviceWith(new ReplicaRange(0, 2), ScalingSpec.rps(5), List.of(), List.of())
                .replicas())
        .isEqualTo(new ReplicaRange(0, 2));
  }

  private static ServiceConfiguration serviceWith(
      ReplicaRange replicas,
      ScalingSpec scaling,
      List<ProbeSpec> probes,
      List<RateLimitSpec> rateLimits) {
    return new ServiceConfiguration(
        null,
        List.of("serve"),
        8000,
        null,
        replicas,
        scaling,
        probes,
        true,
        null,
        rateLimits,
        true,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        false,
        null,
        null,
        null,
        null);
  }

  @Test
  void theFieldTableIsTheTasksWithoutPortsAndNodesPlusItsOwn() {
    List<String> notForServices = List.of("ports", "nodes", "startup_order", "stop_criteria");
    List<String> task = ConfigurationFields.names(ConfigurationFields.TASK);
    List<String> service = ConfigurationFields.names(ServiceFields.SERVICE);
    List<String> own =
        List.of(
            "port",
            "replicas",
            "scaling",
            "probes",
            "model",
            "auth",
            "rate_limits",
            "strip_prefix");

    assertThat(service)
        .containsAll(own)
        .doesNotContainAnyElementsOf(notForServices)
        .containsAll(task.stream().filter(name -> !notForServices.contains(name)).toList())
        .hasSize(task.size() - notForServices.size() + own.size());
    // the shared fields are the task's own specs, not copies that could drift
    ServiceFields.SERVICE.stream()
        .filter(
            field ->
                !List.of("type", "commands").contains(field.name()) && !own.contains(field.name()))
        .forEach(field -> assertThat(ConfigurationFields.TASK).contains(field));
    assertThat(ServiceFields.SERVICE_UNSUPPORTED.stream().map(UnsupportedField::name).toList())
        .containsAll(
            ConfigurationFields.TASK_UNSUPPORTED.stream().map(UnsupportedField::name).toList())
        .contains(
            "https",
            "gateway",
            "ports",
            "nodes",
            "startup_order",
            "stop_criteria",
            "ide",
            "init",
            "inactivity_duration");
  }

  @Property
  void anyValidReplicaRangeRoundTrips(@ForAll("replicaRanges") ReplicaRange range) {
    assertThat(ReplicaRange.parse(range.toString())).isEqualTo(range);
    assertThat(range.toString()).matches(SchemaTypes.REPLICAS_PATTERN);
    String scaling = range.isFixed() ? "" : "scaling: {metric: rps, target: 1}\n";
    assertThat(service(HEAD + "replicas: " + range + "\n" + scaling).replicas()).isEqualTo(range);
  }

  @Property
  void anyWayOfWritingAValidRangeReadsTheSame(
      @ForAll("replicaRanges") ReplicaRange range,
      @ForAll("spaces") String a,
      @ForAll("spaces") String b) {
    String written = a + range.min() + a + ".." + b + range.max() + b;
    assertThat(ReplicaRange.parse(written)).isEqualTo(range);
    assertThat(ReplicaRange.parse(written).toString()).isEqualTo(range.toString());
    if (range.min() == 0) {
      assertThat(ReplicaRange.parse(".." + range.max())).isEqualTo(range);
    }
  }

  @Provide
  Arbitrary<ReplicaRange> replicaRanges() {
    return Arbitraries.integers()
        .between(1, ReplicaRange.MAX_REPLICAS)
        .flatMap(
            max -> Arbitraries.integers().between(0, max).map(min -> new ReplicaRange(min, max)));
  }

  @Provide
  Arbitrary<String> spaces() {
    return Arbitraries.of("", " ", "  ");
  }
}
