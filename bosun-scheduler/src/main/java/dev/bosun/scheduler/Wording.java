package dev.bosun.scheduler;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * How quantities and times are written in reasons: {@code 8GB}, {@code 79.6GB}, {@code 2 CPUs},
 * {@code ~14:05}.
 */
final class Wording {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm", Locale.ROOT);
  private static final DateTimeFormatter DAY_AND_TIME =
      DateTimeFormatter.ofPattern("MMM d HH:mm", Locale.ROOT);

  private Wording() {}

  /** Memory in MiB the way people write it: whole units when exact, else one decimal. */
  static String memory(long mb) {
    if (mb < 1024) {
      return mb + "MB";
    }
    if (mb >= 1024L * 1024) {
      return decimal(mb / (1024.0 * 1024)) + "TB";
    }
    return decimal(mb / 1024.0) + "GB";
  }

  /** {@code 1 CPU}, {@code 2 CPUs}. */
  static String count(long count, String noun) {
    return count + " " + noun + (count == 1 ? "" : "s");
  }

  /**
   * An estimated time: {@code ~14:05} on the day of {@code now} (if known), else {@code ~Mar 3
   * 14:05}; UTC says so.
   */
  static String time(Instant at, Instant now, ZoneId zone) {
    ZonedDateTime local = at.atZone(zone);
    boolean sameDay = now != null && LocalDate.ofInstant(now, zone).equals(local.toLocalDate());
    String text = "~" + (sameDay ? TIME : DAY_AND_TIME).format(local);
    return zone.normalized().equals(ZoneId.of("UTC").normalized()) ? text + " UTC" : text;
  }

  private static String decimal(double value) {
    long tenths = Math.round(value * 10);
    return tenths % 10 == 0 ? Long.toString(tenths / 10) : (tenths / 10) + "." + (tenths % 10);
  }
}
