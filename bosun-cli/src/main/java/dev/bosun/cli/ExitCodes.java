package dev.bosun.cli;

/** The exit codes scripts can rely on. */
public final class ExitCodes {
  public static final int OK = 0;

  /** The run failed, was stopped or aborted. */
  public static final int RUN_FAILED = 1;

  /** Bad usage, bad configuration file, or a request the server refused as wrong. */
  public static final int USAGE = 2;

  /** The server could not be reached, or refused the token. */
  public static final int SERVER = 3;

  private ExitCodes() {}
}
