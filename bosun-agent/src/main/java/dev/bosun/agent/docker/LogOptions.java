package dev.bosun.agent.docker;

import java.time.Instant;

/**
 * Which of a container's output {@link DockerClient#logs} reads.
 *
 * @param follow whether to keep reading until the container ends, rather than stop at what has been
 *     written so far
 * @param since only output after this instant, or null for all of it
 * @param timestamps whether Docker prefixes each line with its RFC 3339 timestamp and a space
 */
public record LogOptions(boolean follow, Instant since, boolean timestamps) {
  /** All output, following until the container ends, without timestamps. */
  public static LogOptions following() {
    return new LogOptions(true, null, false);
  }

  /** All output written so far, without timestamps. */
  public static LogOptions written() {
    return new LogOptions(false, null, false);
  }
}
