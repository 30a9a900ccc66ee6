package dev.bosun.model.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/**
 * {@code nodes}, {@code startup_order}, {@code stop_criteria}, {@code preemptible} and the profile
 * filters {@code backends}, {@code instance_types} and {@code max_price}: what they read, and
 * errors that point at the field.
 */
class RunPlacementFieldsTest {
  private static final String HEAD = "type: task\ncommands: [a]\n";

  private static TaskConfiguration task(String fields) {
    return (TaskConfiguration) ConfigurationParser.parse(HEAD + fields, "run.bosun.yml");
  }

  private static List<ConfigurationError> errors(String fields) {
    ConfigurationException e =
        catchThrowableOfType(
            ConfigurationException.class,
            () -> ConfigurationParser.parse(HEAD + fields, "run.bosun.yml"));
    assertThat(e).as("parsing should fail:\n%s", fields).isNotNull();
    return e.errors();
  }

  private static ConfigurationError onlyError(String fields) {
    List<ConfigurationError> errors = errors(fields);
    assertThat(errors).hasSize(1);
    return errors.getFirst();
  }

  @Test
  void readsNodesAsOneWholeNumber() {
    assertThat(task("nodes: 2\n").nodes()).isEqualTo(2);
    assertThat(task("nodes: \"16\"\n").nodes()).isEqualTo(16);
    assertThat(task("nodes: 1024\n").nodes()).isEqualTo(1024);
    assertThat(task("nodes: 1\n")).isEqualTo(TaskConfiguration.of(List.of("a")));
  }

  @Test
  void refusesZeroNegativeFractionalAndTooManyNodesAtTheField() {
    assertThat(onlyError("nodes: 0\n").toString())
        .isEqualTo(
            "run.bosun.yml:3:8: nodes: invalid nodes 0: a task runs on at least 1 node; expected a"
                + " whole number from 1 to 1024");
    assertThat(onlyError("nodes: -2\n").message()).startsWith("invalid nodes -2: a task runs on");
    assertThat(onlyError("nodes: 1025\n").toString())
        .isEqualTo(
            "run.bosun.yml:3:8: nodes: invalid nodes 1025: a task runs on at most 1024 nodes");
    assertThat(onlyError("nodes: 1.5\n").message())
        .isEqualTo("expected a whole number from 1 to 1024, found the number 1.5");
    assertThat(onlyError("nodes: many\n").message())
        .isEqualTo("expected a whole number from 1 to 1024, found the text 'many'");
    assertThat(onlyError("nodes: 99999999999\n").message())
        .isEqualTo("expected a whole number from 1 to 1024, found the number 99999999999");
    assertThat(onlyError("nodes: [2]\n").message())
        .isEqualTo("expected a whole number from 1 to 1024, found a list");
  }

  @Test
  void refusesANodeRangeAsDstackTasksDo() {
    ConfigurationError error = onlyError("name: x1\nnodes: 2..4\n");

    assertThat(error.line()).isEqualTo(4);
    assertThat(error.column()).isEqualTo(8);
    assertThat(error.path()).isEqualTo("nodes");
    assertThat(error.message())
        .isEqualTo(
            "invalid nodes '2..4': a task takes one number of nodes, e.g. nodes: 2 (ranges such as"
                + " 1..4 are for a fleet's nodes)");
  }

  @Test
  void readsStartupOrderAndStopCriteriaInDstacksSpellings() {
    assertThat(task("startup_order: any\n").startupOrder()).isEqualTo(StartupOrder.ANY);
    assertThat(task("startup_order: master-first\n").startupOrder())
        .isEqualTo(StartupOrder.MASTER_FIRST);
    assertThat(task("startup_order: workers-first\n").startupOrder())
        .isEqualTo(StartupOrder.WORKERS_FIRST);
    assertThat(task("stop_criteria: all-done\n").stopCriteria()).isEqualTo(StopCriteria.ALL_DONE);
    assertThat(task("stop_criteria: master-done\n").stopCriteria())
        .isEqualTo(StopCriteria.MASTER_DONE);
  }

  @Test
  void refusesOtherStartupOrdersAndStopCriteriaNamingTheAllowedOnes() {
    assertThat(onlyError("startup_order: master_first\n").toString())
        .isEqualTo(
            "run.bosun.yml:3:16: startup_order: invalid startup_order 'master_first': expected any,"
                + " master-first or workers-first");
    assertThat(onlyError("stop_criteria: first-done\n").toString())
        .isEqualTo(
            "run.bosun.yml:3:16: stop_criteria: invalid stop_criteria 'first-done': expected"
                + " all-done or master-done");
    assertThat(onlyError("stop_criteria: [all-done]\n").message())
        .isEqualTo("expected all-done or master-done, found a list");
  }

  @Test
  void readsPreemptibleAsABoolean() {
    assertThat(task("preemptible: true\n").preemptible()).isTrue();
    assertThat(task("preemptible: false\n").preemptible()).isFalse();
    assertThat(task("preemptible: \"true\"\n").preemptible()).isTrue();
    assertThat(task("preemptible: yes\n").preemptible()).isTrue();
    assertThat(onlyError("preemptible: 1\n").toString())
        .isEqualTo("run.bosun.yml:3:14: preemptible: expected true or false, found the number 1");
    assertThat(onlyError("preemptible: sometimes\n").message())
        .isEqualTo("expected true or false, found the text 'sometimes'");
  }

  @Test
  void readsTheProfileFiltersInFileOrder() {
    TaskConfiguration task =
        task(
            "backends: [ssh, local, aws]\ninstance_types: [p4d.24xlarge, Standard_NC24ads_A100_v4]\n"
                + "max_price: 0.75\n");

    assertThat(task.backends()).containsExactly("ssh", "local", "aws");
    assertThat(task.instanceTypes()).containsExactly("p4d.24xlarge", "Standard_NC24ads_A100_v4");
    assertThat(task.maxPrice()).isEqualTo(0.75);
    assertThat(task("max_price: 3\n").maxPrice()).isEqualTo(3.0);
    assertThat(task("max_price: \"1.5\"\n").maxPrice()).isEqualTo(1.5);
  }

  @Test
  void refusesBadFiltersEachAtItsItem() {
    List<ConfigurationError> errors =
        errors("backends:\n  - ssh\n  - AWS\n  - \"\"\ninstance_types: [\"p4d 24xlarge\"]\n");

    assertThat(errors)
        .extracting(ConfigurationError::path)
        .containsExactly("backends[1]", "backends[2]", "instance_types[0]");
    assertThat(errors).extracting(ConfigurationError::line).containsExactly(5, 6, 7);
    assertThat(errors.get(0).toString())
        .isEqualTo(
            "run.bosun.yml:5:5: backends[1]: invalid backend 'AWS': a backend is a lower-case name"
                + " such as local or ssh");
    assertThat(errors.get(2).message())
        .isEqualTo(
            "invalid instance type 'p4d 24xlarge': expected 1 to 128 characters without spaces"
                + " (e.g. p4d.24xlarge)");
    assertThat(onlyError("backends: ssh\n").message())
        .isEqualTo("expected a list of backends, found the text 'ssh'");
    assertThat(onlyError("backends: []\n").toString())
        .isEqualTo(
            "run.bosun.yml:3:11: backends: backends must not be empty: list at least one backend,"
                + " or leave it out for any");
    assertThat(onlyError("instance_types: []\n").message())
        .startsWith("instance_types must not be empty");
  }

  @Test
  void refusesPricesThatAreNotPositiveNumbers() {
    assertThat(onlyError("max_price: 0\n").toString())
        .isEqualTo(
            "run.bosun.yml:3:12: max_price: invalid max_price '0': expected a positive number of"
                + " dollars per hour, e.g. 2.5");
    for (String bad : List.of("-1", "$2", "2 USD", ".inf", ".nan", "1e999", "1e-999", "0x10")) {
      ConfigurationError error = onlyError("max_price: " + bad + "\n");
      assertThat(error.path()).as(bad).isEqualTo("max_price");
      assertThat(error.message()).as(bad).startsWith("invalid max_price '");
    }
    assertThat(onlyError("max_price: {usd: 2}\n").message())
        .isEqualTo("expected a number of dollars per hour, e.g. 2.5, found a mapping");
  }

  @Test
  void reportsEveryBadFieldAtOnceInFileOrder() {
    List<ConfigurationError> errors =
        errors(
            """
            nodes: 0
            startup_order: first
            stop_criteria: done
            preemptible: maybe
            backends: [GCP]
            instance_types: []
            max_price: -3
            """);

    assertThat(errors)
        .extracting(ConfigurationError::path)
        .containsExactly(
            "nodes",
            "startup_order",
            "stop_criteria",
            "preemptible",
            "backends[0]",
            "instance_types",
            "max_price");
    assertThat(errors).extracting(ConfigurationError::line).containsExactly(3, 4, 5, 6, 7, 8, 9);
  }

  @Test
  void suggestsTheNewFieldsForTypos() {
    assertThat(onlyError("node: 2\n").message())
        .startsWith("unknown field 'node'; did you mean 'nodes'?");
    assertThat(onlyError("instance_type: [a]\n").message())
        .startsWith("unknown field 'instance_type'; did you mean 'instance_types'?");
  }

  @Property
  void everyNodeCountFrom1To1024IsReadAndEveryOtherIsRefusedAtTheField(
      @ForAll @IntRange(min = -5000, max = 5000) int nodes) {
    if (nodes >= 1 && nodes <= 1024) {
      assertThat(task("nodes: " + nodes + "\n").nodes()).isEqualTo(nodes);
    } else {
      ConfigurationError error = onlyError("nodes: " + nodes + "\n");
      assertThat(error.line()).isEqualTo(3);
      assertThat(error.column()).isEqualTo(8);
      assertThat(error.path()).isEqualTo("nodes");
      assertThat(error.message()).startsWith("invalid nodes " + nodes + ": a task runs on at");
    }
  }

  @Property
  void startupOrdersAndStopCriteriaAreReadInAnyCase(
      @ForAll StartupOrder order, @ForAll StopCriteria criteria, @ForAll boolean upper) {
    String orderText = upper ? order.yamlName().toUpperCase(Locale.ROOT) : order.yamlName();
    String criteriaText =
        upper ? criteria.yamlName().toUpperCase(Locale.ROOT) : criteria.yamlName();

    TaskConfiguration task =
        task("startup_order: " + orderText + "\nstop_criteria: " + criteriaText + "\n");

    assertThat(task.startupOrder()).isEqualTo(order);
    assertThat(task.stopCriteria()).isEqualTo(criteria);
    assertThat(StartupOrder.parse(order.yamlName())).isEqualTo(order);
    assertThat(StopCriteria.parse(criteria.yamlName())).isEqualTo(criteria);
  }

  @Property
  void otherWordsAreNeitherStartupOrdersNorStopCriteria(@ForAll("words") String word) {
    boolean order = StartupOrder.yamlNames().contains(word);
    boolean criteria = StopCriteria.yamlNames().contains(word);

    assertThat(errors("startup_order: " + word + "\nstop_criteria: " + word + "\n"))
        .extracting(ConfigurationError::path)
        .containsExactlyElementsOf(
            order || criteria
                ? (order ? List.of("stop_criteria") : List.of("startup_order"))
                : List.of("startup_order", "stop_criteria"));
  }

  @Property
  void positivePricesRoundTripAndTheRestAreRefused(
      @ForAll @DoubleRange(min = -1e6, max = 1e6) double price, @ForAll boolean plain) {
    String text = plain ? BigDecimal.valueOf(price).toPlainString() : Double.toString(price);
    if (price > 0) {
      assertThat(task("max_price: " + text + "\n").maxPrice()).isEqualTo(price);
    } else {
      ConfigurationError error = onlyError("max_price: \"" + text + "\"\n");
      assertThat(error.path()).isEqualTo("max_price");
      assertThat(error.message()).startsWith("invalid max_price '" + text + "'");
    }
  }

  @Property
  void backendListsKeepTheirNamesInOrder(
      @ForAll @Size(min = 1, max = 6) List<@net.jqwik.api.From("backendNames") String> backends) {
    String yaml = "backends: [" + String.join(", ", backends) + "]\n";

    assertThat(task(yaml).backends()).containsExactlyElementsOf(backends);
  }

  @Provide
  Arbitrary<String> backendNames() {
    return Arbitraries.oneOf(
            Arbitraries.of("local", "ssh", "aws", "gcp", "runpod", "vastai", "lambda"),
            Arbitraries.strings()
                .withCharRange('a', 'z')
                .ofMinLength(1)
                .ofMaxLength(1)
                .flatMap(
                    first ->
                        Arbitraries.strings()
                            .withCharRange('a', 'z')
                            .withChars("0123456789-_")
                            .ofMaxLength(20)
                            .map(rest -> first + rest)))
        .filter(name -> !name.equals("null"));
  }

  @Provide
  Arbitrary<String> words() {
    return Arbitraries.oneOf(
            Arbitraries.of(
                "any", "all-done", "master-done", "master-first", "workers-first", "master_first"),
            Arbitraries.strings()
                .withCharRange('a', 'z')
                .withChars("-")
                .ofMinLength(1)
                .ofMaxLength(14))
        .filter(word -> !word.startsWith("-") && !word.equals("null") && !isYamlBoolean(word));
  }

  private static boolean isYamlBoolean(String word) {
    return List.of("y", "n", "yes", "no", "on", "off", "true", "false").contains(word);
  }
}
