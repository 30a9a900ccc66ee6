package dev.bosun.model.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * The small value types of run configurations: ports, environments, retry policies, task records.
 */
class ValuesTest {
  @Test
  void readsTheThreePortForms() {
    assertThat(PortMapping.parse("8080")).isEqualTo(new PortMapping(8080, 8080, false));
    assertThat(PortMapping.parse("80:8080")).isEqualTo(new PortMapping(80, 8080, false));
    assertThat(PortMapping.parse("*:8080")).isEqualTo(new PortMapping(null, 8080, true));
    assertThatThrownBy(() -> PortMapping.parse("8080:"))
        .hasMessageStartingWith("invalid port '8080:'");
    assertThatThrownBy(() -> PortMapping.parse("99999999999"))
        .hasMessage("invalid port '99999999999': ports go from 1 to 65535");
    assertThatThrownBy(() -> new PortMapping(null, 80, false))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Property
  void portsRoundTrip(
      @ForAll @IntRange(min = 1, max = 65535) int local,
      @ForAll @IntRange(min = 1, max = 65535) int container) {
    for (PortMapping port :
        List.of(
            PortMapping.same(container),
            PortMapping.anyLocal(container),
            new PortMapping(local, container, false))) {
      assertThat(PortMapping.parse(port.toString())).isEqualTo(port);
    }
  }

  @Test
  void anEnvironmentResolvesTheSubmittersVariablesOrNamesTheMissingOnes() {
    Environment env = new Environment(Map.of("A", "1"), Set.of("TOKEN", "KEY"));

    assertThat(env.isResolved()).isFalse();
    assertThat(env.resolve(Map.of("TOKEN", "t", "KEY", "k")::get).values())
        .containsEntry("TOKEN", "t")
        .containsEntry("KEY", "k")
        .containsEntry("A", "1");
    assertThatThrownBy(() -> env.resolve(Map.of("KEY", "k")::get))
        .hasMessage("the configuration takes TOKEN from your environment, but it is not set");
  }

  @Test
  void anEnvironmentRejectsBadNamesAndVariablesGivenBothWays() {
    assertThatThrownBy(() -> new Environment(Map.of("1X", "a"), Set.of()))
        .hasMessageStartingWith("invalid environment variable name '1X'");
    assertThatThrownBy(() -> new Environment(Map.of("X", "a"), Set.of("X")))
        .hasMessageContaining("has a value and is also taken from the submitter's environment");
  }

  @Test
  void retryPoliciesReadLikeTheFile() {
    assertThat(RetryPolicy.ALWAYS).hasToString("true");
    assertThat(RetryPolicy.NEVER).hasToString("false");
    assertThat(
            new RetryPolicy(
                EnumSet.of(RetryEvent.ERROR, RetryEvent.NO_CAPACITY), Duration.ofHours(1)))
        .hasToString("{on_events: [no-capacity, error], duration: 1h}");
    assertThat(RetryEvent.parse("No-Capacity")).isEqualTo(RetryEvent.NO_CAPACITY);
    assertThatThrownBy(() -> RetryEvent.parse("oom"))
        .hasMessage("unknown retry event 'oom'; expected no-capacity, interruption, error");
  }

  @Test
  void aTaskRecordEnforcesTheSameRulesAsTheParser() {
    assertThatThrownBy(() -> TaskConfiguration.of(List.of()))
        .hasMessageStartingWith("commands must hold");
    assertThatThrownBy(() -> TaskConfiguration.of(List.of("ok", " ")))
        .hasMessage("a command must not be blank");
    assertThatThrownBy(() -> TaskConfiguration.of(List.of("a")).withName("Bad"))
        .hasMessageStartingWith("invalid run name 'Bad'");
    assertThatThrownBy(
            () ->
                new TaskConfiguration(
                    null,
                    List.of("a"),
                    null,
                    null,
                    "fish",
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null))
        .hasMessageStartingWith("invalid shell 'fish'");
    assertThatThrownBy(
            () ->
                new TaskConfiguration(
                    null,
                    List.of("a"),
                    null,
                    null,
                    null,
                    null,
                    101,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null))
        .hasMessageStartingWith("invalid priority 101");
  }

  @Test
  void theEarlierConstructorGivesTheDefaultsOfTheNewFields() {
    TaskConfiguration task =
        new TaskConfiguration(
            null,
            List.of("a"),
            null,
            null,
            null,
            null,
            5,
            null,
            null,
            null,
            null,
            List.of("gpu-rack"),
            null);

    assertThat(task.nodes()).isEqualTo(TaskConfiguration.DEFAULT_NODES).isEqualTo(1);
    assertThat(task.startupOrder()).isEqualTo(StartupOrder.ANY);
    assertThat(task.stopCriteria()).isEqualTo(StopCriteria.ALL_DONE);
    assertThat(task.preemptible()).isFalse();
    assertThat(task.backends()).isEmpty();
    assertThat(task.instanceTypes()).isEmpty();
    assertThat(task.maxPrice()).isNull();
    assertThat(task.withName("x1").priority()).isEqualTo(5);
  }

  @Test
  void aTaskRecordChecksTheNewFieldsAsTheParserDoes() {
    assertThatThrownBy(() -> withPlacement(0, null, null, null))
        .hasMessageStartingWith("invalid nodes 0");
    assertThatThrownBy(() -> withPlacement(1025, null, null, null))
        .hasMessage("invalid nodes 1025: a task runs on at most 1024 nodes");
    assertThatThrownBy(() -> withPlacement(2, List.of("AWS"), null, null))
        .hasMessageStartingWith("invalid backend 'AWS'");
    assertThatThrownBy(() -> withPlacement(2, null, List.of(" "), null))
        .hasMessageStartingWith("invalid instance type ' '");
    assertThatThrownBy(() -> withPlacement(2, null, null, 0.0))
        .hasMessageStartingWith("invalid max_price 0.0");
    assertThatThrownBy(() -> withPlacement(2, null, null, Double.NaN))
        .hasMessageStartingWith("invalid max_price NaN");
    assertThatThrownBy(() -> withPlacement(2, null, null, Double.POSITIVE_INFINITY))
        .hasMessageStartingWith("invalid max_price Infinity");

    TaskConfiguration task = withPlacement(8, List.of("ssh"), List.of("p4d.24xlarge"), 12.5);
    assertThat(task.isMultiNode()).isTrue();
    assertThat(task.withName("x1"))
        .isEqualTo(task.withName("x1").withEnv(Environment.EMPTY))
        .extracting(
            TaskConfiguration::nodes, TaskConfiguration::backends, TaskConfiguration::maxPrice)
        .containsExactly(8, List.of("ssh"), 12.5);
  }

  @Test
  void startupOrdersAndStopCriteriaHaveDstacksNames() {
    assertThat(StartupOrder.values())
        .extracting(StartupOrder::yamlName)
        .containsExactly("any", "master-first", "workers-first");
    assertThat(StopCriteria.values())
        .extracting(StopCriteria::yamlName)
        .containsExactly("all-done", "master-done");
    assertThat(StartupOrder.parse(" Workers-First ")).isEqualTo(StartupOrder.WORKERS_FIRST);
    assertThatThrownBy(() -> StopCriteria.parse("any"))
        .hasMessage("invalid stop_criteria 'any': expected all-done or master-done");
  }

  private static TaskConfiguration withPlacement(
      int nodes, List<String> backends, List<String> instanceTypes, Double maxPrice) {
    return new TaskConfiguration(
        null,
        List.of("a"),
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
        null,
        nodes,
        StartupOrder.MASTER_FIRST,
        StopCriteria.MASTER_DONE,
        true,
        backends,
        instanceTypes,
        maxPrice);
  }
}
