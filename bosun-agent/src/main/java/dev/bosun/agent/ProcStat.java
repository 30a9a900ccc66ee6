package dev.bosun.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The fields of {@code /proc/<pid>/stat} the agent needs.
 *
 * @param pid the process id
 * @param state the state letter ({@code R}, {@code S}, {@code Z} for a zombie, …)
 * @param processGroup the process group id (field 5)
 * @param session the session id (field 6)
 * @param startTicks the start time in clock ticks after boot (field 22); with the pid it names a
 *     process uniquely
 */
record ProcStat(long pid, char state, long processGroup, long session, long startTicks) {
  /** The process's stat, or empty when there is no such process. */
  static Optional<ProcStat> read(long pid) {
    String text;
    try {
      text = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return Optional.empty();
    }
    return parse(pid, text);
  }

  static Optional<ProcStat> parse(long pid, String text) {
    // the command name (field 2) is in parentheses and may hold spaces and parentheses itself
    int close = text.lastIndexOf(')');
    if (close < 0) {
      return Optional.empty();
    }
    String[] fields = text.substring(close + 1).strip().split("\\s+");
    if (fields.length < 20) {
      return Optional.empty();
    }
    try {
      // fields[0] is field 3 of stat(5)
      return Optional.of(
          new ProcStat(
              pid,
              fields[0].charAt(0),
              Long.parseLong(fields[2]),
              Long.parseLong(fields[3]),
              Long.parseLong(fields[19])));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** Whether the process still runs: zombies ({@code Z}) and dead ({@code X}) processes do not. */
  boolean isRunning() {
    return state != 'Z' && state != 'X';
  }
}
