package dev.bosun.server;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * How a server runs.
 *
 * @param host the address to listen on (loopback by default)
 * @param port the port; 0 picks a free one
 * @param home the state directory ({@code ~/.bosun}): database, config.yml for the CLI, the local
 *     agent's data
 * @param databaseUrl a JDBC URL, or null for SQLite at {@code home/bosun.db}
 * @param agentCommand the command that starts an agent process (the data dir arguments are
 *     appended)
 * @param localFleet whether to register this machine as the fleet {@code local}
 * @param spread place jobs on the least loaded hosts first instead of bin-packing them
 * @param pythonImage the image of runs that give {@code python}; null for the default
 * @param minInactivity the shortest {@code inactivity_duration} a run may give; null for the
 *     default
 * @param servicesDomain a domain whose names point at this server ({@code *.DOMAIN}): {@code
 *     RUN.PROJECT.DOMAIN} then reaches service RUN of PROJECT at its root path; null for none
 * @param replicaTimeout how long a service's replica may stay silent during a request before the
 *     proxy ends it (504); null for the default
 */
public record ServerOptions(
    String host,
    int port,
    Path home,
    String databaseUrl,
    List<String> agentCommand,
    boolean localFleet,
    boolean spread,
    String pythonImage,
    java.time.Duration minInactivity,
    String servicesDomain,
    java.time.Duration replicaTimeout) {
  /** The image of runs that give {@code python} and no {@code image}: {python} is the version. */
  public static final String DEFAULT_PYTHON_IMAGE = "python:{python}-slim";

  /**
   * The shortest {@code inactivity_duration} by default: long enough to connect to a new
   * environment.
   */
  public static final java.time.Duration DEFAULT_MIN_INACTIVITY = java.time.Duration.ofMinutes(1);

  /** How long a replica may stay silent during a request by default: a long completion thinks. */
  public static final java.time.Duration DEFAULT_REPLICA_TIMEOUT = java.time.Duration.ofMinutes(10);

  public ServerOptions {
    Objects.requireNonNull(host, "host is null");
    Objects.requireNonNull(home, "home is null");
    agentCommand = List.copyOf(agentCommand);
    pythonImage = pythonImage == null || pythonImage.isBlank() ? DEFAULT_PYTHON_IMAGE : pythonImage;
    minInactivity = minInactivity == null ? DEFAULT_MIN_INACTIVITY : minInactivity;
    replicaTimeout = replicaTimeout == null ? DEFAULT_REPLICA_TIMEOUT : replicaTimeout;
    if (replicaTimeout.compareTo(java.time.Duration.ofSeconds(1)) < 0
        || replicaTimeout.compareTo(java.time.Duration.ofDays(365)) > 0) {
      throw new IllegalArgumentException(
          "--replica-timeout: "
              + (replicaTimeout.isNegative()
                  ? replicaTimeout.toString()
                  : dev.bosun.model.config.DurationGrammar.format(replicaTimeout))
              + " is not between 1s and 365d; give e.g. 10m");
    }
    try {
      servicesDomain =
          servicesDomain == null || servicesDomain.isBlank()
              ? null
              : dev.bosun.server.proxy.ServiceHosts.checkDomain(servicesDomain);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--services-domain: " + e.getMessage(), e);
    }
  }

  /** Options with the default image for {@code python} runs. */
  public ServerOptions(
      String host,
      int port,
      Path home,
      String databaseUrl,
      List<String> agentCommand,
      boolean localFleet,
      boolean spread) {
    this(host, port, home, databaseUrl, agentCommand, localFleet, spread, null, null, null, null);
  }

  /** The command that starts an agent from this JVM's own class path. */
  public static List<String> agentCommandOfThisJvm() {
    String java = ProcessHandle.current().info().command().orElse("java");
    return List.of(
        java,
        "-Xmx256m",
        "-XX:+UseSerialGC",
        "--enable-native-access=ALL-UNNAMED",
        "-cp",
        System.getProperty("java.class.path"),
        "dev.bosun.agent.AgentMain");
  }
}
