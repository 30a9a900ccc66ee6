package dev.bosun.server.scheduling;

import dev.bosun.server.runs.BackendFilter;
import dev.bosun.server.runs.RunSpec;
import dev.bosun.store.InstanceRecord;
import dev.bosun.store.SchedulingState;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which hosts each project's runs may use, and how the scheduler tells fleets apart.
 *
 * <p>A project's runs use its own fleets and the fleets other projects share with it. Projects
 * joined by shared fleets form one pool and are planned together, so that fair share and priority
 * decide between them; a project that shares nothing is a pool of its own, planned alone. In a pool
 * of one project the scheduler knows fleets by their names; in a pool of several, fleet names are
 * qualified by their owner ({@code team/gpus}) so that two projects' fleets of the same name stay
 * apart, and every run lists the fleets it may use.
 */
final class FleetPools {
  private final Map<String, String> root = new HashMap<>();
  private final Map<String, Integer> size = new HashMap<>();
  private final Map<String, Set<String>> shares;
  private final Map<String, SchedulingState.ProjectWeight> projects;
  private final Collection<InstanceRecord> instances;

  FleetPools(
      Collection<InstanceRecord> instances,
      Map<String, Set<String>> shares,
      Map<String, SchedulingState.ProjectWeight> projects) {
    this.instances = instances;
    this.shares = shares;
    this.projects = projects;
    for (InstanceRecord instance : instances) {
      for (String importer : shares.getOrDefault(instance.fleetId(), Set.of())) {
        join(instance.projectId(), importer);
      }
    }
  }

  /** The pool the project is planned in (the id of one of its projects). */
  String poolOf(String projectId) {
    String at = projectId;
    while (root.containsKey(at) && !root.get(at).equals(at)) {
      at = root.get(at);
    }
    return at;
  }

  /** The name the scheduler knows the instance's fleet by. */
  String key(InstanceRecord instance) {
    return shared(instance.projectId())
        ? ownerName(instance.projectId()) + "/" + instance.fleetName()
        : instance.fleetName();
  }

  /** How the project names the instance's fleet: plain when its own, {@code owner/name} if not. */
  String nameFor(InstanceRecord instance, String projectId) {
    return instance.projectId().equals(projectId)
        ? instance.fleetName()
        : ownerName(instance.projectId()) + "/" + instance.fleetName();
  }

  /** Whether the project's runs may use the instance. */
  boolean mayUse(InstanceRecord instance, String projectId) {
    return instance.projectId().equals(projectId)
        || shares.getOrDefault(instance.fleetId(), Set.of()).contains(projectId);
  }

  /**
   * The fleets (as the scheduler knows them) a run of the project may use: its {@code fleets} of
   * its {@code backends}; an empty list means any fleet of a pool of one project. Empty when no
   * fleet the project may use is of the run's backends.
   */
  Optional<List<String>> fleetsFor(RunSpec spec, String projectId) {
    boolean pooled = shared(projectId);
    if (!pooled && spec.backends().isEmpty()) {
      return Optional.of(spec.fleets());
    }
    Set<String> allowed = new LinkedHashSet<>();
    Set<String> named = new LinkedHashSet<>();
    for (InstanceRecord instance : instances) {
      if (!mayUse(instance, projectId)
          || (!spec.backends().isEmpty()
              && !spec.backends().contains(BackendFilter.backendOf(instance)))) {
        continue;
      }
      String name = nameFor(instance, projectId);
      if (spec.fleets().isEmpty() || spec.fleets().contains(name)) {
        allowed.add(key(instance));
        named.add(name);
      }
    }
    if (!spec.backends().isEmpty()) {
      return allowed.isEmpty() ? Optional.empty() : Optional.of(sorted(allowed));
    }
    // A named fleet that is not there: keep it (unusable) so the reason names it.
    for (String wanted : spec.fleets()) {
      if (!named.contains(wanted)) {
        allowed.add(ownerName(projectId) + "/" + wanted);
      }
    }
    return Optional.of(sorted(allowed));
  }

  private static List<String> sorted(Set<String> names) {
    List<String> list = new ArrayList<>(names);
    list.sort(null);
    return list;
  }

  /** Whether the project is planned with others. */
  private boolean shared(String projectId) {
    return size.getOrDefault(poolOf(projectId), 1) > 1;
  }

  private String ownerName(String projectId) {
    SchedulingState.ProjectWeight project = projects.get(projectId);
    return project == null ? projectId : project.name();
  }

  private void join(String a, String b) {
    String ra = poolOf(a);
    String rb = poolOf(b);
    if (ra.equals(rb)) {
      return;
    }
    int sa = size.getOrDefault(ra, 1);
    int sb = size.getOrDefault(rb, 1);
    String big = sa >= sb ? ra : rb;
    String small = big.equals(ra) ? rb : ra;
    root.put(small, big);
    root.put(big, big);
    size.put(big, sa + sb);
  }
}
