package dev.bosun.scheduler;

import java.time.ZoneId;
import java.util.Objects;

/**
 * Settings of a {@link Scheduler}.
 *
 * @param zone the time zone that times in reasons ({@code busy until ~14:05}) are written in
 */
public record SchedulerOptions(ZoneId zone) {
  public static final SchedulerOptions DEFAULTS = new SchedulerOptions(ZoneId.of("UTC"));

  public SchedulerOptions {
    Objects.requireNonNull(zone, "zone is null");
  }
}
