package dev.bosun.server.runs;

import dev.bosun.store.InstanceRecord;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * A run's {@code backends}: the kinds of fleet it may use. Bosun's backends are {@code local} (the
 * server's own machine) and {@code ssh} (SSH fleets); a run listing others (cloud names, as dstack
 * files may) can use only the fleets of the kinds it lists.
 */
public final class BackendFilter {
  private BackendFilter() {}

  /**
   * The fleets of the project the run may use: its {@code fleets} (all when it lists none) of its
   * backends; the run's own {@code fleets} when it lists no backends. Empty when no fleet of the
   * project is of those backends.
   */
  public static Optional<List<String>> fleets(
      RunSpec spec, Collection<InstanceRecord> instances, String projectId) {
    if (spec.backends().isEmpty()) {
      return Optional.of(spec.fleets());
    }
    List<String> allowed =
        instances.stream()
            .filter(i -> i.projectId().equals(projectId))
            .filter(i -> spec.backends().contains(backendOf(i)))
            .map(InstanceRecord::fleetName)
            .filter(f -> spec.fleets().isEmpty() || spec.fleets().contains(f))
            .distinct()
            .sorted()
            .toList();
    return allowed.isEmpty() ? Optional.empty() : Optional.of(allowed);
  }

  /** Why a run whose backends match no fleet cannot run. */
  public static String noneReason(RunSpec spec) {
    return "no fleet of this project is of backend"
        + (spec.backends().size() > 1 ? "s " : " ")
        + String.join(", ", spec.backends())
        + (spec.fleets().isEmpty() ? "" : " among fleets " + String.join(", ", spec.fleets()))
        + "; Bosun's backends are local (the server's machine) and ssh (SSH fleets)";
  }

  private static String backendOf(InstanceRecord instance) {
    return instance.hostSpec() == null ? "local" : "ssh";
  }
}
