package dev.bosun.cli;

import java.util.List;

/**
 * The server role, supplied by the distribution that bundles it: the CLI depends on the API only,
 * never on the server, and reaches it through this hook.
 */
public interface ServerRole {
  /**
   * Runs a server in the foreground until it stops; returns the exit code.
   *
   * @param spread place jobs on the least loaded hosts first instead of bin-packing
   * @param minInactivity the shortest {@code inactivity_duration} runs may give
   * @param servicesDomain the wildcard domain of services' host names, or null
   * @param replicaTimeout how long a service's replica may stay silent during a request
   */
  int runForeground(
      String host,
      int port,
      String databaseUrl,
      boolean spread,
      boolean background,
      String pythonImage,
      java.time.Duration minInactivity,
      String servicesDomain,
      java.time.Duration replicaTimeout);

  /** The command line that runs {@code bosun server --background} as a separate process. */
  List<String> backgroundCommand(String host, int port);
}
