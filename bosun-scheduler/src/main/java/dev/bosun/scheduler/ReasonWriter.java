package dev.bosun.scheduler;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Writes why a run waits or never fits, for people: a headline that says what is missing, then
 * hosts grouped by what they lack, e.g. {@code no host has a free GPU matching H100:1 (bosun-h1:
 * 2/2 GPUs busy until ~14:05 UTC; laptop: no H100)}. Busy hosts come first, then hosts that never
 * fit, then hosts that may not take the run.
 */
final class ReasonWriter {
  static final String NO_INSTANCES =
      "no fleet has any instance ready; create a fleet (bosun apply -f fleet.bosun.yml)"
          + " or wait until its instances are ready";
  private static final int GROUPS_SHOWN = 6;
  private static final int NAMES_SHOWN = 3;

  private final ZoneId zone;
  private final Instant now;

  ReasonWriter(ZoneId zone, Instant now) {
    this.zone = zone;
    this.now = now;
  }

  String behind(QueuedRun blocker) {
    return "waiting behind run " + blocker.runName() + " (priority " + blocker.priority() + ")";
  }

  /** Why no host, or too few hosts, could ever fit the run's jobs. */
  String unplaceable(RunDemand demand, int jobs, List<HostAssessment> all) {
    if (all.isEmpty()) {
      return NO_INSTANCES;
    }
    long eligible =
        all.stream().filter(assessment -> assessment.fit() != HostFit.NOT_ELIGIBLE).count();
    if (eligible == 0) {
      boolean outsideFleets =
          !demand.fleets().isEmpty()
              && all.stream()
                  .anyMatch(
                      assessment ->
                          assessment.rejections().getFirst() instanceof Rejection.OutsideFleets);
      boolean notCluster =
          jobs > 1
              && all.stream()
                  .anyMatch(
                      assessment ->
                          assessment.rejections().getFirst() instanceof Rejection.NotCluster);
      boolean holdReplicas =
          demand.spreadRunId() != null
              && all.stream()
                  .anyMatch(
                      assessment ->
                          assessment.rejections().getFirst() instanceof Rejection.HoldsReplica);
      String headline =
          holdReplicas
              ? "no ready host without a replica of this service (each replica needs a host of its"
                  + " own)"
              : notCluster
                  ? "a run with "
                      + jobs
                      + " nodes needs "
                      + jobs
                      + " ready hosts of one fleet with placement: cluster"
                  : outsideFleets
                      ? "no instance ready in fleet"
                          + (demand.fleets().size() > 1 ? "s " : " ")
                          + demand.fleets().stream().sorted().collect(Collectors.joining(", "))
                      : "no fleet has any instance ready";
      return headline + details(all, Map.of(), Map.of(), true);
    }
    long couldFit = all.stream().filter(HostAssessment::couldFit).count();
    if (jobs > 1 && couldFit > 0) {
      return "needs "
          + jobs
          + " hosts of one cluster fleet, but "
          + (couldFit == 1 ? "only 1 could" : "at most " + largestFleet(all) + " could")
          + " ever take a job"
          + details(all, Map.of(), Map.of(), true);
    }
    Class<?> kind = singleKind(all, false);
    return neverHeadline(kind, demand) + details(all, Map.of(), Map.of(), kind == null);
  }

  private static long largestFleet(List<HostAssessment> all) {
    return all.stream()
        .filter(HostAssessment::couldFit)
        .collect(Collectors.groupingBy(a -> a.host().view().fleetName(), Collectors.counting()))
        .values()
        .stream()
        .mapToLong(Long::longValue)
        .max()
        .orElse(0);
  }

  /**
   * Why a run that fits some host's total capacity cannot start now.
   *
   * @param starts estimated starts of busy hosts, where known
   * @param holders hosts held by a waiting run ahead, and which
   * @param openHosts how many hosts could take a job now
   */
  String waiting(
      RunDemand demand,
      int jobs,
      List<HostAssessment> all,
      Map<HostCapacity, Instant> starts,
      Map<HostCapacity, QueuedRun> holders,
      int openHosts) {
    if (jobs > 1) {
      return "needs "
          + jobs
          + " hosts at once; "
          + Wording.count(openHosts, "host")
          + " can take a job now"
          + details(all, starts, holders, true);
    }
    Class<?> kind = singleKind(all, true);
    return busyHeadline(kind, demand) + details(all, starts, holders, kind == null);
  }

  /** One host's verdict in words, with what the run needs; empty when it fits now. */
  String hostReason(HostAssessment assessment, Instant start) {
    if (assessment.fit() == HostFit.FITS_NOW) {
      return "";
    }
    return text(new Group(assessment.fit(), assessment.rejections(), start, null), true);
  }

  private static String neverHeadline(Class<?> kind, RunDemand demand) {
    GpuRequest gpu = demand.gpu();
    if (kind == Rejection.GpuShortage.class) {
      return "no host has " + (gpu.count() == 1 ? "a GPU" : gpu.count() + " GPUs") + matching(gpu);
    }
    if (kind == Rejection.CpuShortage.class) {
      return "needs " + Wording.count(demand.cpusAsked(), "CPU") + "; no host has that many";
    }
    if (kind == Rejection.MemoryShortage.class) {
      return "needs " + Wording.memory(demand.memoryMbAsked()) + " memory; no host has that much";
    }
    if (kind == Rejection.DiskShortage.class) {
      return "needs " + Wording.memory(demand.diskMbAsked()) + " free disk; no host has that much";
    }
    if (kind == Rejection.WrongArchitecture.class) {
      return "needs " + demand.arch() + " CPUs; no host has them";
    }
    return "no host could ever fit it";
  }

  private static String busyHeadline(Class<?> kind, RunDemand demand) {
    GpuRequest gpu = demand.gpu();
    if (kind == Rejection.GpuShortage.class) {
      return "no host has "
          + (gpu.count() == 1 ? "a free GPU" : gpu.count() + " free GPUs")
          + matching(gpu);
    }
    if (kind == Rejection.CpuShortage.class) {
      return "no host has " + Wording.count(demand.cpusAsked(), "free CPU");
    }
    if (kind == Rejection.MemoryShortage.class) {
      return "no host has " + Wording.memory(demand.memoryMbAsked()) + " of free memory";
    }
    return "no host has enough free capacity now";
  }

  private static String matching(GpuRequest gpu) {
    return gpu.filterText().isEmpty() ? "" : " matching " + gpu.specText();
  }

  /**
   * The one kind of rejection that explains every host that could (busy) or could not (never) fit,
   * else null.
   */
  private static Class<?> singleKind(List<HostAssessment> all, boolean includeBusy) {
    Class<?> kind = null;
    for (HostAssessment assessment : all) {
      boolean counted =
          assessment.fit() == HostFit.NEVER_FITS || includeBusy && assessment.fit() == HostFit.BUSY;
      if (!counted) {
        continue;
      }
      for (Rejection rejection : assessment.rejections()) {
        if (kind == null) {
          kind = rejection.getClass();
        } else if (kind != rejection.getClass()) {
          return null;
        }
      }
    }
    return kind;
  }

  private String details(
      List<HostAssessment> all,
      Map<HostCapacity, Instant> starts,
      Map<HostCapacity, QueuedRun> holders,
      boolean withNeed) {
    Map<Group, List<String>> groups = new LinkedHashMap<>();
    for (HostAssessment assessment : all) {
      QueuedRun holder = holders.get(assessment.host());
      Group group =
          new Group(
              assessment.fit(),
              assessment.rejections(),
              starts.get(assessment.host()),
              holder == null ? null : holder.runName());
      groups.computeIfAbsent(group, key -> new ArrayList<>()).add(assessment.host().name());
    }
    List<Map.Entry<Group, List<String>>> ordered = new ArrayList<>(groups.entrySet());
    ordered.sort(Comparator.comparingInt(entry -> rank(entry.getKey().fit())));
    List<String> parts = new ArrayList<>();
    int hidden = 0;
    for (int i = 0; i < ordered.size(); i++) {
      Map.Entry<Group, List<String>> entry = ordered.get(i);
      if (i < GROUPS_SHOWN) {
        parts.add(names(entry.getValue()) + ": " + text(entry.getKey(), withNeed));
      } else {
        hidden += entry.getValue().size();
      }
    }
    if (hidden > 0) {
      parts.add("and " + Wording.count(hidden, "more host"));
    }
    return parts.isEmpty() ? "" : " (" + String.join("; ", parts) + ")";
  }

  private String text(Group group, boolean withNeed) {
    if (group.fit() == HostFit.FITS_NOW) {
      return group.holder() == null ? "free" : "free, held for run " + group.holder();
    }
    StringBuilder out = new StringBuilder();
    for (Rejection rejection : group.rejections()) {
      out.append(out.isEmpty() ? "" : ", ").append(rejection.describe(withNeed));
    }
    if (group.start() != null) {
      out.append(" until ").append(Wording.time(group.start(), now, zone));
    }
    if (group.holder() != null) {
      out.append(", held for run ").append(group.holder());
    }
    return out.toString();
  }

  private static String names(List<String> names) {
    if (names.size() <= NAMES_SHOWN) {
      return String.join(", ", names);
    }
    return String.join(", ", names.subList(0, NAMES_SHOWN))
        + " and "
        + (names.size() - NAMES_SHOWN)
        + " more";
  }

  private static int rank(HostFit fit) {
    return switch (fit) {
      case BUSY -> 0;
      case FITS_NOW -> 1;
      case NEVER_FITS -> 2;
      case NOT_ELIGIBLE -> 3;
    };
  }

  /** Hosts that share a group say the same thing. */
  private record Group(HostFit fit, List<Rejection> rejections, Instant start, String holder) {}
}
