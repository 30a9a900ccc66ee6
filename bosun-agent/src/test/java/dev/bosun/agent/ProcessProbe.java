package dev.bosun.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What tests ask about processes of the host. */
final class ProcessProbe {
  private ProcessProbe() {}

  /** Whether {@code pid} runs (a zombie waiting for a slow reaper counts as ended). */
  static boolean isRunning(long pid) {
    return ProcStat.read(pid).filter(ProcStat::isRunning).isPresent();
  }

  static long readPid(Path file) throws IOException {
    return Long.parseLong(Files.readString(file).strip());
  }
}
