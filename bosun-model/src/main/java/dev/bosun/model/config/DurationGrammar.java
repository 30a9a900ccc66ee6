package dev.bosun.model.config;

import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as dstack writes them: {@code 90s}, {@code 30m}, {@code 2h}, {@code 1d}, {@code 1w},
 * and a bare whole number of seconds. Bosun also reads several parts in one, such as {@code 1h30m},
 * which is how {@link #format} writes them, so that {@code parse(format(d))} equals {@code d} for
 * every whole number of seconds.
 */
public final class DurationGrammar {
  static final String FORM =
      "a whole number of seconds or a number with unit s, m, h, d or w (e.g. 90s, 30m, 2h, 1d"
          + " or 1h30m)";

  private static final Pattern WHOLE = Pattern.compile("(?:\\d+\\s*[smhdw]\\s*)+|\\d+");
  private static final Pattern PART = Pattern.compile("(\\d+)\\s*([smhdw])");
  private static final Map<String, Long> UNIT_SECONDS =
      Map.of("s", 1L, "m", 60L, "h", 3600L, "d", 86_400L, "w", 604_800L);
  private static final String[] UNITS_DESCENDING = {"w", "d", "h", "m", "s"};

  private DurationGrammar() {}

  /** Parses a duration; throws {@link IllegalArgumentException} with a message for the user. */
  public static Duration parse(String text) {
    String trimmed = text.strip();
    if (!WHOLE.matcher(trimmed).matches()) {
      throw new IllegalArgumentException("invalid duration '" + text + "': expected " + FORM);
    }
    try {
      if (trimmed.chars().allMatch(Character::isDigit)) {
        return Duration.ofSeconds(Long.parseLong(trimmed));
      }
      long seconds = 0;
      Matcher part = PART.matcher(trimmed);
      while (part.find()) {
        long amount = Long.parseLong(part.group(1));
        seconds =
            Math.addExact(seconds, Math.multiplyExact(amount, UNIT_SECONDS.get(part.group(2))));
      }
      return Duration.ofSeconds(seconds);
    } catch (ArithmeticException | NumberFormatException e) {
      throw new IllegalArgumentException("invalid duration '" + text + "': it is too long", e);
    }
  }

  /**
   * Writes a duration in the shortest form this grammar reads, {@code 1h30m}; sub-second parts are
   * dropped.
   */
  public static String format(Duration duration) {
    if (duration.isNegative()) {
      throw new IllegalArgumentException("a duration must not be negative: " + duration);
    }
    long seconds = duration.getSeconds();
    if (seconds == 0) {
      return "0s";
    }
    StringBuilder out = new StringBuilder();
    for (String unit : UNITS_DESCENDING) {
      long size = UNIT_SECONDS.get(unit);
      if (seconds >= size) {
        out.append(seconds / size).append(unit);
        seconds %= size;
      }
    }
    return out.toString();
  }
}
