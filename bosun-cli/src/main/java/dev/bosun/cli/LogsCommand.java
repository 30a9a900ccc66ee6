package dev.bosun.cli;

import dev.bosun.api.BosunClient;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code bosun logs}: a run's output. */
@Command(
    name = "logs",
    mixinStandardHelpOptions = true,
    description = "Print a run's log; -f follows it until the run ends.")
final class LogsCommand implements Callable<Integer> {
  @ParentCommand BosunCommand parent;
  @Mixin ConnectionOptions connection;

  @Parameters(paramLabel = "RUN", description = "The run's name")
  String run;

  @Option(
      names = {"-f", "--follow"},
      description = "Keep printing new lines until the run ends")
  boolean follow;

  @Option(
      names = "--since",
      paramLabel = "WHEN",
      description = "Only lines from this long ago (90s, 10m, 2h, 1d) or since an ISO-8601 time")
  String since;

  @Option(
      names = {"-t", "--timestamps"},
      description = "Show each line's timestamp")
  boolean timestamps;

  @Option(
      names = "--job",
      paramLabel = "N",
      description =
          "The node of a multi-node run whose log to print (its rank; 0, the master, by default)")
  Integer job;

  @Option(
      names = "--replica",
      paramLabel = "N",
      description = "The replica of a service whose log to print (its current job; 0 by default)")
  Integer replica;

  @Override
  public Integer call() {
    CliContext ctx = parent.context();
    Instant from = since == null ? null : parseSince(since);
    BosunClient client = ctx.client(connection, true);
    String project = ctx.config(connection).project();
    LogFollower follower =
        new LogFollower(client, project, run, ctx.out(), ctx.err(), timestamps, from);
    if (replica != null) {
      if (job != null) {
        throw new CliException(
            ExitCodes.USAGE, "give --job (a node of a task) or --replica (of a service), not both");
      }
      var jobs = client.run(project, run).jobs();
      follower.fromJob(
          jobs.stream()
              .filter(j -> j.jobNum() == replica)
              .max(java.util.Comparator.comparingInt(dev.bosun.api.JobInfo::submissionNum))
              .orElseThrow(
                  () ->
                      new CliException(
                          ExitCodes.USAGE,
                          "run "
                              + run
                              + " has no replica "
                              + replica
                              + "; its replicas are "
                              + jobs.stream()
                                  .map(j -> String.valueOf(j.jobNum()))
                                  .distinct()
                                  .sorted()
                                  .collect(java.util.stream.Collectors.joining(", "))))
              .id());
    } else if (job != null) {
      var jobs = client.run(project, run).jobs();
      int nodes = jobs.stream().mapToInt(j -> j.jobNum() + 1).max().orElse(1);
      follower.fromJob(
          jobs.stream()
              .filter(j -> j.jobNum() == job)
              .min(java.util.Comparator.comparingInt(dev.bosun.api.JobInfo::submissionNum))
              .orElseThrow(
                  () ->
                      new CliException(
                          ExitCodes.USAGE,
                          "run "
                              + run
                              + " has "
                              + nodes
                              + " node(s); --job takes a rank from 0 to "
                              + (nodes - 1)))
              .id());
    }
    follower.print(follow, false);
    return ExitCodes.OK;
  }

  static Instant parseSince(String value) {
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException notAnInstant) {
      java.util.regex.Matcher m =
          java.util.regex.Pattern.compile("(\\d+)([smhd])").matcher(value.trim());
      if (!m.matches()) {
        throw new CliException(
            ExitCodes.USAGE,
            "--since '"
                + value
                + "' is neither a duration (90s, 10m, 2h, 1d) nor an ISO-8601 time (2026-11-27T10:00:00Z)");
      }
      long amount = Long.parseLong(m.group(1));
      Duration duration =
          switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofDays(amount);
          };
      return Instant.now().minus(duration);
    }
  }
}
