package dev.bosun.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Command-line options of {@link QueueMemoryBenchmark}.
 *
 * @param jar the distribution jar ({@code bosun-dist/target/bosun.jar})
 * @param runs how many pending runs the server is to hold
 * @param fill how the runs get into the queue
 * @param submitters virtual threads submitting the runs with {@link Fill#API}
 * @param probes runs submitted one at a time, each timed from apply until the server shows it
 *     pending (one scheduling pass over the queue)
 * @param idleSeconds how long the server's CPU is watched while it holds the queue and is idle
 * @param serverJavaOptions extra JVM options for the server process
 * @param keepHome keep BOSUN_HOME (database, server log) after the run
 * @param verify list the runs through the API at the end and count them by status
 */
record QueueMemoryOptions(
    Path jar,
    int runs,
    Fill fill,
    int submitters,
    int probes,
    int idleSeconds,
    List<String> serverJavaOptions,
    boolean keepHome,
    boolean verify) {

  /** How the queue is filled. */
  enum Fill {
    /** {@code POST /api/projects/main/runs} for every run, as the CLI submits. */
    API,
    /**
     * The server is stopped, the runs and their jobs are inserted into its database through the
     * store (the rows {@code RunService.apply} writes), and the server is started again on it.
     */
    DATABASE
  }

  static final String USAGE =
      """
      usage: QueueMemoryBenchmark [RUNS | --runs 100000] [--fill api|database] [--submitters 64]
                                  [--probes 5] [--idle-seconds 30] [--server-java-opts "..."]
                                  [--nmt] [--keep-home] [--no-verify] [--jar PATH]
      --nmt runs the server with -XX:NativeMemoryTracking=summary and reports the JVM's memory by
      category (heap, class, thread, code, GC, malloc, …).
      The jar defaults to bosun-dist/target/bosun.jar or ../bosun-dist/target/bosun.jar.""";

  static QueueMemoryOptions parse(String[] args) {
    Path jar = null;
    int runs = 100_000;
    Fill fill = Fill.API;
    int submitters = 64;
    int probes = 5;
    int idleSeconds = 30;
    List<String> javaOptions = new ArrayList<>();
    boolean keepHome = false;
    boolean verify = true;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      switch (arg) {
        case "--jar" -> jar = Path.of(value(args, ++i, arg));
        case "--runs" -> runs = count(value(args, ++i, arg), arg);
        case "--fill" -> fill = fill(value(args, ++i, arg));
        case "--submitters" -> submitters = Math.max(1, count(value(args, ++i, arg), arg));
        case "--probes" -> probes = Math.max(1, count(value(args, ++i, arg), arg));
        case "--idle-seconds" -> idleSeconds = count(value(args, ++i, arg), arg);
        case "--server-java-opts" ->
            javaOptions.addAll(Arrays.asList(value(args, ++i, arg).trim().split("\\s+")));
        case "--nmt" -> javaOptions.add("-XX:NativeMemoryTracking=summary");
        case "--keep-home" -> keepHome = true;
        case "--no-verify" -> verify = false;
        case "-h", "--help" -> throw new IllegalArgumentException(USAGE);
        default -> {
          if (arg.matches("\\d+")) {
            runs = count(arg, "RUNS");
          } else {
            throw new IllegalArgumentException("unknown option " + arg + "\n" + USAGE);
          }
        }
      }
    }
    javaOptions.removeIf(String::isEmpty);
    return new QueueMemoryOptions(
        jar == null ? EndToEndOptions.defaultJar() : jar,
        runs,
        fill,
        submitters,
        probes,
        idleSeconds,
        List.copyOf(javaOptions),
        keepHome,
        verify);
  }

  private static Fill fill(String text) {
    return switch (text) {
      case "api" -> Fill.API;
      case "database", "db" -> Fill.DATABASE;
      default -> throw new IllegalArgumentException("--fill is database or api, not " + text);
    };
  }

  private static String value(String[] args, int index, String option) {
    if (index >= args.length) {
      throw new IllegalArgumentException(option + " needs a value\n" + USAGE);
    }
    return args[index];
  }

  private static int count(String text, String option) {
    try {
      int value = Integer.parseInt(text);
      if (value < 0) {
        throw new NumberFormatException();
      }
      return value;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + " needs a count, got '" + text + "'");
    }
  }
}
