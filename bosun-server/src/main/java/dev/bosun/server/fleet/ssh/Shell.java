package dev.bosun.server.fleet.ssh;

/** Writing POSIX shell command lines for remote hosts. */
public final class Shell {
  private Shell() {}

  /** {@code word} as one single-quoted shell word: {@code it's} becomes {@code 'it'"'"'s'}. */
  public static String quote(String word) {
    return "'" + word.replace("'", "'\"'\"'") + "'";
  }
}
