package dev.bosun.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Command-line options of {@link EndToEndBenchmark}.
 *
 * @param jar the distribution jar ({@code bosun-dist/target/bosun.jar})
 * @param warmupRuns sequential runs before the latency measurement, not counted
 * @param latencyRuns sequential runs measured for submit-to-running latency
 * @param throughputRuns runs submitted at once for the throughput measurement
 * @param submitters virtual threads submitting the throughput runs
 * @param cpu the {@code cpu} resource of each run (1 lets two jobs share this project's 2-CPU
 *     machines)
 * @param serverJavaOptions extra JVM options for the server process
 * @param keepHome keep BOSUN_HOME (database, server and agent logs) after the run, for analysis
 * @param profileDirectory where to write flight recordings of the server and agent per phase, or
 *     null for none
 * @param image the image the runs' jobs run in (a container each), or null for processes
 */
record EndToEndOptions(
    Path jar,
    int warmupRuns,
    int latencyRuns,
    int throughputRuns,
    int submitters,
    String cpu,
    List<String> serverJavaOptions,
    boolean keepHome,
    Path profileDirectory,
    String image) {
  static final String USAGE =
      """
      usage: EndToEndBenchmark [--jar PATH] [--warmup-runs 50] [--latency-runs 500] [--throughput-runs 2000]
                               [--submitters 32] [--cpu 1] [--server-java-opts "-Xmx512m ..."] [--keep-home]
                               [--profile DIR] [--image IMAGE]
      The jar defaults to bosun-dist/target/bosun.jar or ../bosun-dist/target/bosun.jar.""";

  static EndToEndOptions parse(String[] args) {
    Path jar = null;
    int warmup = 50;
    int latency = 500;
    int throughput = 2000;
    int submitters = 32;
    String cpu = "1";
    List<String> javaOptions = new ArrayList<>();
    boolean keepHome = false;
    Path profile = null;
    String image = null;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      switch (arg) {
        case "--jar" -> jar = Path.of(value(args, ++i, arg));
        case "--warmup-runs" -> warmup = count(args, ++i, arg);
        case "--latency-runs" -> latency = count(args, ++i, arg);
        case "--throughput-runs" -> throughput = count(args, ++i, arg);
        case "--submitters" -> submitters = Math.max(1, count(args, ++i, arg));
        case "--cpu" -> cpu = value(args, ++i, arg);
        case "--server-java-opts" ->
            javaOptions.addAll(Arrays.asList(value(args, ++i, arg).trim().split("\\s+")));
        case "--keep-home" -> keepHome = true;
        case "--profile" -> profile = Path.of(value(args, ++i, arg));
        case "--image" -> image = value(args, ++i, arg);
        case "-h", "--help" -> throw new IllegalArgumentException(USAGE);
        default -> throw new IllegalArgumentException("unknown option " + arg + "\n" + USAGE);
      }
    }
    javaOptions.removeIf(String::isEmpty);
    return new EndToEndOptions(
        jar == null ? defaultJar() : jar,
        warmup,
        latency,
        throughput,
        submitters,
        cpu,
        List.copyOf(javaOptions),
        keepHome,
        profile,
        image);
  }

  static Path defaultJar() {
    for (String candidate :
        List.of("bosun-dist/target/bosun.jar", "../bosun-dist/target/bosun.jar")) {
      Path path = Path.of(candidate);
      if (Files.isRegularFile(path)) {
        return path.toAbsolutePath();
      }
    }
    throw new IllegalArgumentException(
        "bosun.jar not found; build it with "
            + "'mvn -B -o -q -DskipTests -pl bosun-dist -am package' or pass --jar PATH");
  }

  private static String value(String[] args, int index, String option) {
    if (index >= args.length) {
      throw new IllegalArgumentException(option + " needs a value\n" + USAGE);
    }
    return args[index];
  }

  private static int count(String[] args, int index, String option) {
    String text = value(args, index, option);
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
