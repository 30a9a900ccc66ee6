package dev.bosun.model.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * Whatever the text, the parser either returns a configuration or throws a {@link
 * ConfigurationException} whose errors point inside the file and speak to the user; nothing else
 * escapes.
 */
class ConfigurationParserFuzzTest {
  private static final String VALID = ConfigurationParserTest.resource("full.bosun.yml");
  private static final String YAML_CHARACTERS =
      " \n\t:-,[]{}#&*!|>'\"%@`?.=~/\\0123456789abcxyzABCXYZ";

  @Property(tries = 1000)
  void arbitraryTextGivesAConfigurationOrLocatedErrors(@ForAll String text) {
    assertParsesOrReportsUsefulErrors(text);
  }

  @Property(tries = 1000)
  void yamlLookingTextGivesAConfigurationOrLocatedErrors(@ForAll("yamlLookingText") String text) {
    assertParsesOrReportsUsefulErrors(text);
  }

  @Property(tries = 1500)
  void mutatedValidFilesGiveAConfigurationOrLocatedErrors(
      @ForAll("mutatedValidFiles") String text) {
    assertParsesOrReportsUsefulErrors(text);
  }

  @Property(tries = 300)
  void mutatedValuesOfTheTaskGiveAConfigurationOrLocatedErrors(
      @ForAll("mutatedValues") String text) {
    assertParsesOrReportsUsefulErrors(text);
  }

  private static void assertParsesOrReportsUsefulErrors(String text) {
    RunConfiguration configuration;
    try {
      configuration = ConfigurationParser.parse(text, "fuzz.bosun.yml");
    } catch (ConfigurationException e) {
      // Shows in the report how much of the input reached the binder rather than stopping at YAML
      // syntax.
      Statistics.label("outcome")
          .collect(
              e.errors().getFirst().message().startsWith("invalid YAML")
                  ? "syntax error"
                  : "binding error");
      long lines = text.lines().count() + 1;
      assertThat(e.errors())
          .isNotEmpty()
          .allSatisfy(
              error -> {
                assertThat(error.file()).isEqualTo("fuzz.bosun.yml");
                assertThat(error.line()).isBetween(1, (int) Math.max(lines, 1) + 1);
                assertThat(error.column()).isPositive();
                assertThat(error.message())
                    .isNotBlank()
                    .doesNotContainIgnoringCase("jackson")
                    .doesNotContainIgnoringCase("snakeyaml")
                    .doesNotContain("Exception", "org.yaml", "com.fasterxml");
              });
      return;
    }
    Statistics.label("outcome").collect("parsed");
    assertThat(configuration.type()).isEqualTo("task");
    assertThat(((TaskConfiguration) configuration).commands())
        .isNotEmpty()
        .allSatisfy(command -> assertThat(command).isNotBlank());
  }

  @Provide
  Arbitrary<String> yamlLookingText() {
    return Arbitraries.strings().withChars(YAML_CHARACTERS).ofMaxLength(200);
  }

  /**
   * The valid file with a few characters inserted, deleted or replaced, or lines dropped or
   * re-indented.
   */
  @Provide
  Arbitrary<String> mutatedValidFiles() {
    Arbitrary<Edit> edit =
        Combinators.combine(
                Arbitraries.of(EditKind.values()),
                Arbitraries.integers().between(0, VALID.length()),
                Arbitraries.of(YAML_CHARACTERS.chars().mapToObj(c -> (char) c).toList()))
            .as(Edit::new);
    return edit.list()
        .ofMinSize(1)
        .ofMaxSize(4)
        .map(
            edits -> {
              String text = VALID;
              for (Edit each : edits) {
                text = each.apply(text);
              }
              return text;
            });
  }

  /**
   * The valid file with one value swapped for a value that may belong to another field or be
   * nonsense.
   */
  @Provide
  Arbitrary<String> mutatedValues() {
    List<String> lines = VALID.lines().toList();
    Arbitrary<String> value =
        Arbitraries.oneOf(
            Arbitraries.of(
                "",
                "~",
                "[]",
                "{}",
                "-1",
                "0",
                "101",
                "1..",
                "..",
                "8XB",
                "H100:abc",
                "true",
                "off",
                "[a, b]",
                "{a: 1}",
                "\"*:0\"",
                "A100:80GB:8",
                "1e9",
                "99999999999999999999",
                "x86:4..8",
                "2h",
                "'",
                "&a",
                "*a",
                "!!binary x",
                "|",
                ">-",
                "? x"),
            Arbitraries.strings().withChars(YAML_CHARACTERS).ofMaxLength(12));
    return Combinators.combine(Arbitraries.integers().between(0, lines.size() - 1), value)
        .as(
            (index, replacement) -> {
              List<String> changed = new ArrayList<>(lines);
              String line = changed.get(index);
              int colon = line.indexOf(": ");
              int dash = line.indexOf("- ");
              int cut = colon >= 0 ? colon + 2 : dash >= 0 ? dash + 2 : line.length();
              changed.set(index, line.substring(0, cut) + replacement);
              return String.join("\n", changed) + "\n";
            });
  }

  private enum EditKind {
    INSERT,
    DELETE,
    REPLACE,
    DROP_LINE,
    INDENT_LINE
  }

  private record Edit(EditKind kind, int position, char character) {
    String apply(String text) {
      int at = Math.min(position, text.length());
      int lineStart = text.lastIndexOf('\n', Math.max(0, at - 1)) + 1;
      int lineEnd = text.indexOf('\n', at);
      lineEnd = lineEnd < 0 ? text.length() : lineEnd;
      return switch (kind) {
        case INSERT -> text.substring(0, at) + character + text.substring(at);
        case DELETE -> at < text.length() ? text.substring(0, at) + text.substring(at + 1) : text;
        case REPLACE ->
            at < text.length() ? text.substring(0, at) + character + text.substring(at + 1) : text;
        case DROP_LINE ->
            text.substring(0, lineStart) + text.substring(Math.min(text.length(), lineEnd + 1));
        case INDENT_LINE -> text.substring(0, lineStart) + " " + text.substring(lineStart);
      };
    }
  }
}
