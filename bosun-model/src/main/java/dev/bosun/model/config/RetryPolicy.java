package dev.bosun.model.config;

import java.time.Duration;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * When a failed or unplaceable run is resubmitted, from the {@code retry} field.
 *
 * <p>{@code retry: true} is {@link #ALWAYS}: every event, and no duration of its own (null), so the
 * server's limit, if it has one, applies. {@code retry: false} is {@link #NEVER}. A mapping without
 * {@code on_events} means every event, as in recent dstack versions. A file without {@code retry}
 * gives a null policy, not {@link #NEVER}.
 *
 * @param onEvents the events that cause a retry; empty for none
 * @param duration how long after the first submission retries may go on, or null for no limit given
 */
public record RetryPolicy(Set<RetryEvent> onEvents, Duration duration) {
  /** Retry after every event, with no duration given. */
  public static final RetryPolicy ALWAYS = new RetryPolicy(EnumSet.allOf(RetryEvent.class), null);

  /** Never retry. */
  public static final RetryPolicy NEVER = new RetryPolicy(Set.of(), null);

  public RetryPolicy {
    Objects.requireNonNull(onEvents, "onEvents is null");
    // An EnumSet keeps the events in declaration order, so toString and iteration are stable.
    onEvents =
        onEvents.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(onEvents));
    if (duration != null && duration.isNegative()) {
      throw new IllegalArgumentException("retry duration must not be negative: " + duration);
    }
  }

  /** True when the run is resubmitted after {@code event}. */
  public boolean retriesOn(RetryEvent event) {
    return onEvents.contains(event);
  }

  /**
   * {@code true}, {@code false}, or the mapping form in flow style, readable in {@code bosun}
   * output.
   */
  @Override
  public String toString() {
    if (onEvents.isEmpty()) {
      return "false";
    }
    if (equals(ALWAYS)) {
      return "true";
    }
    String events = onEvents.stream().map(RetryEvent::yamlName).collect(Collectors.joining(", "));
    return "{on_events: ["
        + events
        + "]"
        + (duration == null ? "" : ", duration: " + DurationGrammar.format(duration))
        + "}";
  }
}
