package dev.bosun.api;

import java.time.Instant;
import java.util.List;

/**
 * What applying a configuration would do now.
 *
 * @param project the project
 * @param runName the run name (generated when the file has none)
 * @param type the configuration type
 * @param resources the requested resources in the configuration grammar
 * @param ports the ports, as written
 * @param fleet the fleet it would run on now, or null
 * @param instance the instance it would run on now, or null
 * @param allocation what it would get there (e.g. {@code 2 CPU, 8GB, GPU 0,1}), or null
 * @param waitReason why it would wait, or null when it can start now
 * @param estimatedStart when it would be expected to start, if known
 * @param neverFits true when no current host could ever fit it
 * @param existingRun the status of an existing run of the same name, or null
 * @param queuePosition where it would wait in the project's queue (1 first), or null
 * @param update what applying does to the active service of the same name: {@link #UNCHANGED}
 *     (nothing) or {@link #ROLLING} (its replicas are replaced one at a time); null otherwise
 */
public record RunPlan(
    String project,
    String runName,
    String type,
    String resources,
    List<String> ports,
    String fleet,
    String instance,
    String allocation,
    String waitReason,
    Instant estimatedStart,
    boolean neverFits,
    String existingRun,
    Integer queuePosition,
    String update) {
  /** The service is applied again as it is: nothing changes. */
  public static final String UNCHANGED = "unchanged";

  /** The service's configuration changed: its replicas roll to it one at a time. */
  public static final String ROLLING = "rolling";

  /** A plan that updates nothing. */
  public RunPlan(
      String project,
      String runName,
      String type,
      String resources,
      List<String> ports,
      String fleet,
      String instance,
      String allocation,
      String waitReason,
      Instant estimatedStart,
      boolean neverFits,
      String existingRun,
      Integer queuePosition) {
    this(
        project,
        runName,
        type,
        resources,
        ports,
        fleet,
        instance,
        allocation,
        waitReason,
        estimatedStart,
        neverFits,
        existingRun,
        queuePosition,
        null);
  }
}
