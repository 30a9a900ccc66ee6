package dev.bosun.server.fleet.ssh;

import java.util.Objects;

/**
 * What a remote command left: its exit status (128 + the signal number when a signal ended it, as
 * shells report it) and its standard output and error, decoded as UTF-8.
 */
public record ExecResult(int exitStatus, String stdout, String stderr) {
  public ExecResult {
    Objects.requireNonNull(stdout, "stdout is null");
    Objects.requireNonNull(stderr, "stderr is null");
  }

  public boolean succeeded() {
    return exitStatus == 0;
  }
}
