package dev.bosun.model.config;

import java.time.Duration;
import java.util.Objects;

/**
 * A time limit that a file may also turn off, as {@code max_duration} and {@code stop_duration}
 * allow: {@code 2h}, {@code 5m}, or {@code off} (and {@code false}) for no limit. A field that is
 * absent from the file is a null {@code TimeLimit}, not {@link #OFF}: the server then applies its
 * default.
 *
 * @param duration the limit, or null when the limit is off
 */
public record TimeLimit(Duration duration) {
  /** No limit. */
  public static final TimeLimit OFF = new TimeLimit(null);

  public TimeLimit {
    if (duration != null && duration.isNegative()) {
      throw new IllegalArgumentException("a time limit must not be negative: " + duration);
    }
  }

  public static TimeLimit of(Duration duration) {
    return new TimeLimit(Objects.requireNonNull(duration, "duration is null"));
  }

  /**
   * Parses {@code off}, {@code false} or a duration such as {@code 2h}; see {@link
   * DurationGrammar}.
   */
  public static TimeLimit parse(String text) {
    String trimmed = text.strip();
    if (trimmed.equals("off") || trimmed.equals("false")) {
      return OFF;
    }
    try {
      return of(DurationGrammar.parse(trimmed));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "invalid time limit '" + text + "': expected off or " + DurationGrammar.FORM, e);
    }
  }

  public boolean isOff() {
    return duration == null;
  }

  /** {@code off} or the duration as {@link DurationGrammar#format} writes it. */
  @Override
  public String toString() {
    return duration == null ? "off" : DurationGrammar.format(duration);
  }
}
