package dev.bosun.server.proxy;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpURI;

/**
 * How the services proxy reads a request's path and writes it for a replica: Jetty's canonical path
 * (unreserved escapes decoded, dot segments resolved, reserved escapes such as {@code %3F} kept)
 * with repeated slashes merged is what routes and rate limits see and what the replica receives.
 */
final class ProxyPaths {
  private ProxyPaths() {}

  private static final Pattern REPEATED_SLASHES = Pattern.compile("/{2,}");

  /** The path with each run of slashes made one ({@code //v1} is {@code /v1}). */
  static String mergeSlashes(String path) {
    return path.contains("//") ? REPEATED_SLASHES.matcher(path).replaceAll("/") : path;
  }

  /**
   * Whether the path could mean one thing here and another to a replica: an encoded separator
   * ({@code %2F}), a dot segment in escapes ({@code %2e%2e}) or a parameter on one ({@code ..;x}).
   * Jetty lets these through for the API (Javalin's compliance); the proxy refuses them.
   */
  static boolean ambiguous(HttpURI uri) {
    return uri.hasAmbiguousSeparator() || uri.hasAmbiguousSegment() || uri.hasAmbiguousParameter();
  }

  /**
   * The path with what may not appear in one as sent (non-ASCII characters as UTF-8, spaces,
   * controls, {@code " < > \ ^ ` { | }}) percent-encoded; escapes already there stay as they are.
   */
  static String escapeUnsafe(String path) {
    int i = 0;
    while (i < path.length() && safeInPath(path.charAt(i))) {
      i++;
    }
    if (i == path.length()) {
      return path;
    }
    StringBuilder out = new StringBuilder(path.length() + 16).append(path, 0, i);
    for (byte b : path.substring(i).getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if (safeInPath(c)) {
        out.append(c);
      } else {
        out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
      }
    }
    return out.toString();
  }

  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private static boolean safeInPath(char c) {
    return c > 0x20 && c < 0x7f && "\"<>\\^`{|}".indexOf(c) < 0;
  }
}
