package dev.bosun.model.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * Generated image references and volumes parse to what was written, and no text in a container
 * field makes the parser throw anything but a {@link ConfigurationException}.
 */
class ContainerFieldsPropertiesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern IMAGE = Pattern.compile(ContainerFieldRules.IMAGE_PATTERN);
  private static final String LOWER_ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789";
  private static final String HEX = "0123456789abcdef";

  /**
   * Where a text goes in a task file: each container field, and inside registry_auth and volumes.
   */
  private static final List<Function<String, String>> PLACES =
      List.of(
          value -> "image: " + value + "\n",
          value -> "python: " + value + "\n",
          value -> "image: a\nentrypoint: " + value + "\n",
          value -> "image: a\nuser: " + value + "\n",
          value -> "image: a\nprivileged: " + value + "\n",
          value -> "image: a\nvolumes: [" + value + "]\n",
          value -> "image: a\nvolumes:\n  - " + value + "\n",
          value -> "image: a\nvolumes: [{instance_path: " + value + ", path: /d}]\n",
          value -> "image: a\nvolumes: [{instance_path: /h, path: " + value + "}]\n",
          value -> "image: a\nregistry_auth: " + value + "\n",
          value -> "image: a\nregistry_auth: {username: " + value + ", password: p}\n",
          value -> "image: a\nregistry_auth: {username: u, password: " + value + "}\n",
          value -> "user: " + value + "\nvolumes: " + value + "\n");

  @Property(tries = 1000)
  void validImageReferencesParseAsWritten(@ForAll("imageReferences") String image) {
    TaskConfiguration task = ConfigurationParserTest.task(task("image: \"" + image + "\"\n"));

    assertThat(task.container().image()).isEqualTo(image);
    assertThat(task.container().python()).isNull();
    assertThat(ContainerConfig.ofImage(image).image()).isEqualTo(image);
    assertThat(IMAGE.matcher(image).matches()).as("the schema's pattern matches it").isTrue();
  }

  @Property(tries = 500)
  void volumeStringsParseToTheirTwoPaths(
      @ForAll("absolutePaths") String host, @ForAll("absolutePaths") String container) {
    String text = host + ":" + container;
    TaskConfiguration task =
        ConfigurationParserTest.task(task("image: a\nvolumes:\n  - \"" + text + "\"\n"));

    assertThat(task.container().volumes())
        .containsExactly(new InstanceVolume(host, container, false));
    assertThat(InstanceVolume.parse(text).toString()).isEqualTo(text);
  }

  @Property(tries = 300)
  void volumeMappingsParseToTheirFields(
      @ForAll("absolutePaths") String host,
      @ForAll("absolutePaths") String container,
      @ForAll boolean optional) {
    TaskConfiguration task =
        ConfigurationParserTest.task(
            task(
                "image: a\nvolumes:\n  - instance_path: \""
                    + host
                    + "\"\n    path: \""
                    + container
                    + "\"\n    optional: "
                    + optional
                    + "\n"));

    assertThat(task.container().volumes())
        .containsExactly(new InstanceVolume(host, container, optional));
  }

  @Property(tries = 1500)
  void anyTextInAContainerFieldGivesAConfigurationOrAConfigurationError(
      @ForAll String text, @ForAll("places") Function<String, String> place) {
    parsesOrReportsErrors(task(place.apply(quoted(text))));
    parsesOrReportsErrors(task(place.apply(text)));
  }

  @Property(tries = 1000)
  void imageLookingTextGivesAConfigurationOrAConfigurationError(
      @ForAll("imageLookingText") String text) {
    TaskConfiguration task = parsesOrReportsErrors(task("image: " + quoted(text) + "\n"));
    if (task != null) {
      assertThat(task.container().image()).isEqualTo(text);
      assertThat(IMAGE.matcher(text).matches()).as("the schema's pattern matches it").isTrue();
    }
  }

  @Property(tries = 1000)
  void theRulesThrowOnlyMessagesForTheUser(@ForAll String text) {
    for (Function<String, Object> rule :
        List.<Function<String, Object>>of(
            ContainerFieldRules::image,
            ContainerFieldRules::python,
            ContainerFieldRules::user,
            ContainerFieldRules::entrypoint,
            ContainerFieldRules::hostPath,
            ContainerFieldRules::containerPath,
            InstanceVolume::parse,
            value -> new ContainerConfig.RegistryAuth(value, value))) {
      try {
        assertThat(rule.apply(text)).isNotNull();
      } catch (IllegalArgumentException e) {
        assertThat(e.getMessage()).isNotBlank();
      }
    }
  }

  private static String task(String fields) {
    return "type: task\ncommands: [a]\n" + fields;
  }

  /** A YAML double-quoted scalar that holds exactly {@code text}: JSON's quoting is YAML's too. */
  private static String quoted(String text) {
    try {
      return JSON.writeValueAsString(text);
    } catch (JsonProcessingException e) {
      throw new AssertionError(e);
    }
  }

  /** The task, or null after checking that every error points into the file. */
  private static TaskConfiguration parsesOrReportsErrors(String yaml) {
    try {
      TaskConfiguration task = (TaskConfiguration) ConfigurationParser.parse(yaml, "p.bosun.yml");
      Statistics.label("outcome").collect(task.hasContainer() ? "container" : "process");
      return task;
    } catch (ConfigurationException e) {
      Statistics.label("outcome").collect("errors");
      assertThat(e.errors())
          .isNotEmpty()
          .allSatisfy(
              error -> {
                assertThat(error.file()).isEqualTo("p.bosun.yml");
                assertThat(error.line()).isBetween(1, (int) yaml.lines().count() + 2);
                assertThat(error.message())
                    .isNotBlank()
                    .doesNotContain("Exception", "com.fasterxml", "org.yaml");
              });
      return null;
    }
  }

  @Provide
  Arbitrary<Function<String, String>> places() {
    return Arbitraries.of(PLACES);
  }

  /** Docker references: [REGISTRY[:PORT]/]PATH[:TAG][@sha256:DIGEST]. */
  @Provide
  Arbitrary<String> imageReferences() {
    Arbitrary<String> alnum =
        Arbitraries.strings().withChars(LOWER_ALNUM).ofMinLength(1).ofMaxLength(8);
    Arbitrary<String> separator = Arbitraries.of(".", "_", "__", "-", "--", "---");
    Arbitrary<String> separated =
        Combinators.combine(separator, alnum)
            .as((sep, part) -> sep + part)
            .list()
            .ofMaxSize(3)
            .map(parts -> String.join("", parts));
    // A first component without '.' so that it is not read as a registry, as Docker reads it.
    Arbitrary<String> firstComponent =
        Combinators.combine(alnum, separated.filter(rest -> !rest.contains(".")))
            .as((head, rest) -> head + rest);
    Arbitrary<String> component =
        Combinators.combine(alnum, separated).as((head, rest) -> head + rest);
    Arbitrary<String> path =
        Combinators.combine(firstComponent, component.list().ofMaxSize(3))
            .as((first, rest) -> rest.isEmpty() ? first : first + "/" + String.join("/", rest));
    Arbitrary<String> hostLabel =
        Combinators.combine(
                Arbitraries.strings().withChars(LOWER_ALNUM + "ABCXYZ").ofLength(1),
                Arbitraries.strings().withChars(LOWER_ALNUM + "-").ofMaxLength(6),
                Arbitraries.strings().withChars(LOWER_ALNUM).ofLength(1))
            .as((a, b, c) -> a + b + c);
    Arbitrary<String> registry =
        Arbitraries.oneOf(
            Arbitraries.just(""),
            Arbitraries.of("localhost/", "localhost:5000/", "nvcr.io/", "[::1]:5000/"),
            Combinators.combine(
                    hostLabel.list().ofMinSize(2).ofMaxSize(3),
                    Arbitraries.integers().between(1, 65535).injectNull(0.6))
                .as(
                    (labels, port) ->
                        String.join(".", labels) + (port == null ? "" : ":" + port) + "/"));
    Arbitrary<String> tag =
        Combinators.combine(
                Arbitraries.strings().withChars(LOWER_ALNUM + "ABCXYZ_").ofLength(1),
                Arbitraries.strings().withChars(LOWER_ALNUM + "ABCXYZ_.-").ofMaxLength(127))
            .as((first, rest) -> ":" + first + rest);
    Arbitrary<String> digest =
        Arbitraries.strings().withChars(HEX).ofLength(64).map(hex -> "@sha256:" + hex);
    return Combinators.combine(
            registry,
            path,
            Arbitraries.oneOf(Arbitraries.just(""), tag),
            Arbitraries.oneOf(Arbitraries.just(""), digest))
        .as((r, p, t, d) -> r + p + t + d)
        .filter(image -> nameLength(image) <= ContainerFieldRules.MAX_IMAGE_NAME);
  }

  private static int nameLength(String image) {
    String name = image.contains("@") ? image.substring(0, image.indexOf('@')) : image;
    int colon = name.lastIndexOf(':');
    return colon > name.lastIndexOf('/') ? colon : name.length();
  }

  /** Text made of the characters of image references, so that it often nearly is one. */
  @Provide
  Arbitrary<String> imageLookingText() {
    return Arbitraries.strings()
        .withChars(LOWER_ALNUM.substring(0, 6) + "09AZ/:@._-[] ")
        .ofMaxLength(24);
  }

  /** {@code /a/b}: one to four segments that are not {@code .} or {@code ..}. */
  @Provide
  Arbitrary<String> absolutePaths() {
    Arbitrary<String> segment =
        Combinators.combine(
                Arbitraries.strings().withChars(LOWER_ALNUM + "ABC_").ofLength(1),
                Arbitraries.strings().withChars(LOWER_ALNUM + "ABC_.-").ofMaxLength(10))
            .as((first, rest) -> first + rest);
    return segment.list().ofMinSize(1).ofMaxSize(4).map(parts -> "/" + String.join("/", parts));
  }
}
