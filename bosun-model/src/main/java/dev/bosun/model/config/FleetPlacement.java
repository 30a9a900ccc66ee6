package dev.bosun.model.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How a fleet's hosts relate to each other, named as in dstack's {@code placement}. */
public enum FleetPlacement {
  /** Hosts need not reach each other; runs use one host each. The default. */
  ANY("any"),
  /**
   * The hosts share a fast network and reach each other on their internal IPs, as multi-node runs
   * need.
   */
  CLUSTER("cluster");

  private final String yamlName;

  FleetPlacement(String yamlName) {
    this.yamlName = yamlName;
  }

  /** The name configuration files use: {@code any} or {@code cluster}. */
  public String yamlName() {
    return yamlName;
  }

  /**
   * The placement with this YAML name, any case; throws {@link IllegalArgumentException} naming the
   * allowed values.
   */
  public static FleetPlacement parse(String text) {
    String wanted = text.strip().toLowerCase(Locale.ROOT);
    for (FleetPlacement placement : values()) {
      if (placement.yamlName.equals(wanted)) {
        return placement;
      }
    }
    throw new IllegalArgumentException("invalid placement '" + text + "': expected " + allowed());
  }

  static String allowed() {
    return Arrays.stream(values())
        .map(FleetPlacement::yamlName)
        .collect(Collectors.joining(" or "));
  }
}
