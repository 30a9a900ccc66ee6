package dev.bosun.scheduler;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A GPU model name split into whole tokens, so that a requested name matches only whole words of a
 * device name: {@code A100} matches {@code A100-SXM4-80GB} and {@code A100 80GB PCIe}, {@code
 * RTX4090} matches {@code GeForce RTX 4090}, but {@code A10} matches neither {@code A100} nor
 * {@code A10G}.
 */
final class GpuModelName {
  private final String[] tokens;

  private GpuModelName(String[] tokens) {
    this.tokens = tokens;
  }

  /** Splits a device name on every character that is not a letter or a digit. */
  static GpuModelName of(String deviceName) {
    List<String> parts = new ArrayList<>();
    StringBuilder token = new StringBuilder();
    for (int i = 0; i < deviceName.length(); i++) {
      char c = deviceName.charAt(i);
      if (Character.isLetterOrDigit(c)) {
        token.append(Character.toLowerCase(c));
      } else if (!token.isEmpty()) {
        parts.add(token.toString());
        token.setLength(0);
      }
    }
    if (!token.isEmpty()) {
      parts.add(token.toString());
    }
    return new GpuModelName(parts.toArray(String[]::new));
  }

  /** The form a requested name is compared in: lower case, letters and digits only. */
  static String normalizeRequested(String requestedName) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < requestedName.length(); i++) {
      char c = requestedName.charAt(i);
      if (Character.isLetterOrDigit(c)) {
        out.append(Character.toLowerCase(c));
      }
    }
    return out.toString().toLowerCase(Locale.ROOT);
  }

  /**
   * True when consecutive whole tokens of this name spell the normalized requested name exactly.
   */
  boolean matches(String normalizedRequested) {
    if (normalizedRequested.isEmpty()) {
      return false;
    }
    for (int start = 0; start < tokens.length; start++) {
      if (spellsFrom(start, normalizedRequested)) {
        return true;
      }
    }
    return false;
  }

  private boolean spellsFrom(int start, String wanted) {
    int offset = 0;
    for (int i = start; i < tokens.length && offset < wanted.length(); i++) {
      String token = tokens[i];
      if (!wanted.startsWith(token, offset)) {
        return false;
      }
      offset += token.length();
    }
    return offset == wanted.length();
  }
}
