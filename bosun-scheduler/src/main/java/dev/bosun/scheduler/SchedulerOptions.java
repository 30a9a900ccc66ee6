package dev.bosun.scheduler;

import java.time.ZoneId;
import java.util.Objects;

/**
 * Settings of a {@link Scheduler}.
 *
 * @param zone the time zone that times in reasons ({@code busy until ~14:05}) are written in
 * @param spread place jobs on the least loaded hosts first ({@link SpreadScorer}) instead of
 *     bin-packing them ({@link BinPackScorer}, the default: whole hosts stay free for big runs)
 */
public record SchedulerOptions(ZoneId zone, boolean spread) {
  public static final SchedulerOptions DEFAULTS = new SchedulerOptions(ZoneId.of("UTC"), false);

  /** Bin-packing, with times in this zone. */
  public SchedulerOptions(ZoneId zone) {
    this(zone, false);
  }

  public SchedulerOptions {
    Objects.requireNonNull(zone, "zone is null");
  }
}
