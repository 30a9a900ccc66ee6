package dev.bosun.model.config;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A port of a task forwarded to the submitter's machine: {@code 8080} (the same port on both
 * sides), {@code 80:8080} (local 80 to the task's 8080) or {@code *:8080} (any free local port).
 *
 * @param localPort the port on the submitter's machine, or null when any free port will do
 * @param containerPort the port the task listens on
 * @param anyLocal true exactly when {@code localPort} is null
 */
public record PortMapping(Integer localPort, int containerPort, boolean anyLocal) {
  static final String FORM =
      "a port from 1 to 65535, 'LOCAL:PORT' or '*:PORT' (e.g. 8080, \"80:8080\" or \"*:8080\")";

  private static final Pattern FORMS = Pattern.compile("(?:(\\d+|\\*)\\s*:\\s*)?(\\d+)");

  public PortMapping {
    if (anyLocal != (localPort == null)) {
      throw new IllegalArgumentException("anyLocal must be true exactly when localPort is null");
    }
    requirePort(containerPort);
    if (localPort != null) {
      requirePort(localPort);
    }
  }

  /** The same port on both sides, as {@code 8080} means. */
  public static PortMapping same(int port) {
    return new PortMapping(port, port, false);
  }

  /** Any free local port, as {@code *:8080} means. */
  public static PortMapping anyLocal(int containerPort) {
    return new PortMapping(null, containerPort, true);
  }

  /**
   * Parses {@code 8080}, {@code 80:8080} or {@code *:8080}; throws {@link IllegalArgumentException}
   * for the user.
   */
  public static PortMapping parse(String text) {
    Matcher matcher = FORMS.matcher(text.strip());
    if (!matcher.matches()) {
      throw new IllegalArgumentException("invalid port '" + text + "': expected " + FORM);
    }
    try {
      int container = Integer.parseInt(matcher.group(2));
      String local = matcher.group(1);
      if (local == null) {
        return same(container);
      }
      return local.equals("*")
          ? anyLocal(container)
          : new PortMapping(Integer.parseInt(local), container, false);
    } catch (IllegalArgumentException e) {
      // NumberFormatException (too many digits) included: either way the number is out of range.
      throw new IllegalArgumentException(
          "invalid port '" + text + "': ports go from 1 to 65535", e);
    }
  }

  private static void requirePort(int port) {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port " + port + " is outside 1..65535");
    }
  }

  /** The form {@link #parse} reads: {@code 8080}, {@code 80:8080} or {@code *:8080}. */
  @Override
  public String toString() {
    if (anyLocal) {
      return "*:" + containerPort;
    }
    return localPort == containerPort
        ? Integer.toString(containerPort)
        : localPort + ":" + containerPort;
  }
}
