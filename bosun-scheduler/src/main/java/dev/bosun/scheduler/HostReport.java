package dev.bosun.scheduler;

import java.util.Objects;

/**
 * How one host would treat a previewed run.
 *
 * @param instanceId the instance
 * @param instanceName the instance name
 * @param fleetName the instance's fleet
 * @param fit whether the run fits there now, later, never, or may not use it
 * @param reason why it does not fit now, in words for people; empty when it fits now
 */
public record HostReport(
    String instanceId, String instanceName, String fleetName, HostFit fit, String reason) {
  public HostReport {
    Objects.requireNonNull(instanceId, "instanceId is null");
    Objects.requireNonNull(instanceName, "instanceName is null");
    Objects.requireNonNull(fleetName, "fleetName is null");
    Objects.requireNonNull(fit, "fit is null");
    Objects.requireNonNull(reason, "reason is null");
  }
}
