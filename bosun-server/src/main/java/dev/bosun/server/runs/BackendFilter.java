package dev.bosun.server.runs;

import dev.bosun.store.InstanceRecord;

/**
 * A run's {@code backends}: the kinds of fleet it may use. Bosun's backends are {@code local} (the
 * server's own machine) and {@code ssh} (SSH fleets); a run listing others (cloud names, as dstack
 * files may) can use only the fleets of the kinds it lists.
 */
public final class BackendFilter {
  private BackendFilter() {}

  /** Why a run whose backends match no fleet cannot run. */
  public static String noneReason(RunSpec spec) {
    return "no fleet this project may use is of backend"
        + (spec.backends().size() > 1 ? "s " : " ")
        + String.join(", ", spec.backends())
        + (spec.fleets().isEmpty() ? "" : " among fleets " + String.join(", ", spec.fleets()))
        + "; Bosun's backends are local (the server's machine) and ssh (SSH fleets)";
  }

  /** The backend of the instance's fleet. */
  public static String backendOf(InstanceRecord instance) {
    return instance.hostSpec() == null ? "local" : "ssh";
  }
}
