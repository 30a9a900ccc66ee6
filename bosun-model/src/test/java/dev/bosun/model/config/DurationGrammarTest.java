package dev.bosun.model.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationGrammarTest {
  @ParameterizedTest
  @CsvSource({
    "90s, 90",
    "30m, 1800",
    "2h, 7200",
    "1d, 86400",
    "1w, 604800",
    "45, 45",
    "1h30m, 5400",
    "'2h 30m', 9000",
    "' 5 m ', 300",
    "0, 0"
  })
  void readsDstackDurationsAndBareSeconds(String text, long seconds) {
    assertThat(DurationGrammar.parse(text)).isEqualTo(Duration.ofSeconds(seconds));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "2x", "-5m", "1.5h", "h", "2H", "1h-30m", "off"})
  void rejectsOtherForms(String text) {
    assertThatThrownBy(() -> DurationGrammar.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "invalid duration '"
                + text
                + "': expected a whole number of seconds or a number with unit s, m,"
                + " h, d or w (e.g. 90s, 30m, 2h, 1d or 1h30m)");
  }

  @Test
  void rejectsDurationsTooLongToCount() {
    assertThatThrownBy(() -> DurationGrammar.parse("99999999999999999w"))
        .hasMessageEndingWith("it is too long");
  }

  @Test
  void writesTheShortestForm() {
    assertThat(DurationGrammar.format(Duration.ofMinutes(90))).isEqualTo("1h30m");
    assertThat(DurationGrammar.format(Duration.ofDays(8))).isEqualTo("1w1d");
    assertThat(DurationGrammar.format(Duration.ZERO)).isEqualTo("0s");
  }

  @Property
  void durationsRoundTrip(@ForAll @LongRange(min = 0, max = 1L << 50) long seconds) {
    Duration duration = Duration.ofSeconds(seconds);
    assertThat(DurationGrammar.parse(DurationGrammar.format(duration))).isEqualTo(duration);
  }

  @Test
  void timeLimitsReadOffAndDurations() {
    assertThat(TimeLimit.parse("off")).isEqualTo(TimeLimit.OFF);
    assertThat(TimeLimit.OFF.isOff()).isTrue();
    assertThat(TimeLimit.parse("2h")).isEqualTo(TimeLimit.of(Duration.ofHours(2)));
    assertThat(TimeLimit.parse(TimeLimit.parse("1d2h").toString()))
        .isEqualTo(TimeLimit.parse("26h"));
  }
}
