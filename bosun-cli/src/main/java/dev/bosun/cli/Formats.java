package dev.bosun.cli;

import dev.bosun.api.Json;
import dev.bosun.model.host.GpuDevice;
import dev.bosun.model.host.HostResources;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/** How the CLI words times, sizes and hosts. */
final class Formats {
  private static final DateTimeFormatter CLOCK =
      DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneId.systemDefault());

  private Formats() {}

  static String ago(Instant then, Instant now) {
    if (then == null) {
      return "-";
    }
    long seconds = Duration.between(then, now).toSeconds();
    if (seconds < 60) {
      return Math.max(seconds, 0) + "s ago";
    }
    if (seconds < 3600) {
      return seconds / 60 + "m ago";
    }
    if (seconds < 86400) {
      return seconds / 3600 + "h ago";
    }
    return seconds / 86400 + "d ago";
  }

  static String clock(Instant instant) {
    return instant == null ? null : "~" + CLOCK.format(instant);
  }

  static String memory(long mb) {
    if (mb >= 1024L * 1024 * 10) {
      return Math.round(mb / (1024.0 * 1024)) + "TB";
    }
    if (mb >= 1024) {
      return Math.round(mb / 1024.0) + "GB";
    }
    return mb + "MB";
  }

  /** {@code 8×H100 (80GB), 96 CPU, 1TB RAM, 2TB disk}. */
  static String host(HostResources resources) {
    if (resources == null) {
      return "-";
    }
    StringBuilder out = new StringBuilder();
    Map<String, Integer> gpus = new LinkedHashMap<>();
    for (GpuDevice gpu : resources.gpus()) {
      gpus.merge(gpu.name() + " " + memory(gpu.memoryMb()), 1, Integer::sum);
    }
    gpus.forEach((name, count) -> out.append(count).append("×").append(name).append(", "));
    out.append(resources.cpus())
        .append(" CPU, ")
        .append(memory(resources.memoryMb()))
        .append(" RAM, ")
        .append(memory(resources.diskMb()))
        .append(" disk free");
    return out.toString();
  }

  static void json(PrintWriter out, Object value) {
    try {
      out.println(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(value));
      out.flush();
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
