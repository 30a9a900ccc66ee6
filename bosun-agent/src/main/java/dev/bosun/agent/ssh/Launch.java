package dev.bosun.agent.ssh;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The process that serves one exec or shell request: its command line, environment and directory.
 *
 * <p>Process jobs: {@code shell -c command} (exec) or {@code shell -l} (shell) as the agent's user,
 * in the job's working directory, with the job's environment and the client's {@code env} requests.
 *
 * <p>Container jobs: the host runs {@code sh -c 'echo $$ > <each cgroup.procs>; exec nsenter
 * --target <pid> --mount --uts --ipc --net --pid --setgid G --setuid U -- /bin/sh -c PRELUDE'} with
 * a clean environment, so that nothing of the job's environment (e.g. {@code LD_PRELOAD}) reaches a
 * program that runs as root on the host. The prelude runs inside the container: it exports the
 * container's environment and the client's, changes to the working directory and execs the job's
 * shell.
 *
 * <p>Terminals: with a {@code pty-req} the command runs under util-linux {@code script -qfec CMD
 * /dev/null}, which gives it a real pseudo-terminal (so {@code tty}, job control, curses programs
 * and {@code stty size} work); {@code stty rows R cols C} sets the requested size first, and a
 * {@code window-change} is applied to the same terminal with {@code stty -F} ({@link
 * SessionProcess}).
 *
 * @param pty the terminal size, or null for plain pipes
 */
record Launch(List<String> command, Map<String, String> env, Path directory, Pty pty) {
  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  static final String HOST_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

  /** A terminal's type and size, from {@code pty-req}. */
  record Pty(String term, int columns, int rows) {
    String sizeCommand() {
      return columns > 0 && rows > 0
          ? "stty rows " + rows + " cols " + columns + " 2>/dev/null; "
          : "";
    }
  }

  /** A session of a process job; {@code command} null for an interactive shell. */
  static Launch process(
      SshJob.ProcessJob job, String command, Map<String, String> clientEnv, Pty pty)
      throws JobUnavailableException {
    Map<String, String> env = new LinkedHashMap<>(job.env());
    env.putAll(clientEnv);
    env.put("SHELL", job.shell().toString());
    List<String> shell = new ArrayList<>(List.of(job.shell().toString()));
    shell.addAll(command == null ? List.of("-l") : List.of("-c", command));
    Path dir = Files.isDirectory(job.workingDir()) ? job.workingDir() : Path.of("/");
    if (pty == null) {
      return new Launch(shell, env, dir, null);
    }
    if (pty.term() != null) {
      env.put("TERM", pty.term());
    }
    // script runs "$SHELL -c inner", which is the job's shell here
    return new Launch(underScript(pty.sizeCommand() + "exec " + quote(shell)), env, dir, pty);
  }

  /** A session of a container job; {@code command} null for an interactive shell. */
  static Launch container(
      ContainerEntry entry, String command, Map<String, String> clientEnv, Pty pty)
      throws JobUnavailableException {
    Map<String, String> inside = new LinkedHashMap<>(entry.env());
    inside.putAll(clientEnv);
    if (pty != null && pty.term() != null) {
      inside.put("TERM", pty.term());
    }
    String shell = command == null ? entry.interactiveShell() : entry.shell();
    inside.putIfAbsent("SHELL", shell);
    StringBuilder prelude = new StringBuilder();
    inside.forEach(
        (name, value) -> {
          if (NAME.matcher(name).matches()) {
            prelude.append("export ").append(name).append('=').append(quote(value)).append('\n');
          }
        });
    prelude
        .append("cd ")
        .append(quote(entry.workingDir()))
        .append(" 2>/dev/null || cd /\n")
        .append("exec ")
        .append(quote(shell))
        .append(command == null ? " -l" : " -c " + quote(command))
        .append('\n');
    List<String> nsenter =
        new ArrayList<>(
            List.of(
                HostTools.require("nsenter", "util-linux").toString(),
                "--target",
                Long.toString(entry.pid()),
                "--mount",
                "--uts",
                "--ipc",
                "--net",
                "--pid"));
    if (entry.uid() != 0 || entry.gid() != 0) {
      nsenter.addAll(
          List.of(
              "--setgid",
              Integer.toString(entry.gid()),
              "--setuid",
              Integer.toString(entry.uid())));
    }
    nsenter.addAll(List.of("--", "/bin/sh", "-c", prelude.toString()));
    StringBuilder host = new StringBuilder();
    if (!entry.cgroupProcs().isEmpty()) {
      host.append("for f in ");
      entry.cgroupProcs().forEach(file -> host.append(quote(file.toString())).append(' '));
      host.append("; do echo $$ > \"$f\"; done 2>/dev/null; ");
    }
    host.append("exec ").append(quote(nsenter));
    Map<String, String> env = new LinkedHashMap<>(Map.of("PATH", HOST_PATH, "SHELL", "/bin/sh"));
    if (pty == null) {
      return new Launch(List.of("/bin/sh", "-c", host.toString()), env, Path.of("/"), null);
    }
    return new Launch(underScript(pty.sizeCommand() + host), env, Path.of("/"), pty);
  }

  private static List<String> underScript(String inner) throws JobUnavailableException {
    return List.of(
        HostTools.require("script", "util-linux").toString(), "-qfec", inner, "/dev/null");
  }

  /** The client's {@code env} requests, less what MINA adds ({@code USER}) and the pty's size. */
  static Map<String, String> clientEnv(Map<String, String> channelEnv) {
    Map<String, String> env = new LinkedHashMap<>(channelEnv);
    for (String name : List.of("USER", "COLUMNS", "LINES", "TERM")) {
      env.remove(name);
    }
    return env;
  }

  static Optional<Pty> pty(Map<String, String> channelEnv, boolean ptyRequested) {
    if (!ptyRequested) {
      return Optional.empty();
    }
    String term = channelEnv.get("TERM");
    return Optional.of(
        new Pty(
            term == null || term.isEmpty() ? null : term,
            number(channelEnv.get("COLUMNS")),
            number(channelEnv.get("LINES"))));
  }

  static int number(String text) {
    try {
      return text == null ? 0 : Math.max(0, Integer.parseInt(text.strip()));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  static String quote(String text) {
    return "'" + text.replace("'", "'\\''") + "'";
  }

  static String quote(List<String> words) {
    StringBuilder joined = new StringBuilder();
    for (String word : words) {
      if (!joined.isEmpty()) {
        joined.append(' ');
      }
      joined.append(quote(word));
    }
    return joined.toString();
  }
}
