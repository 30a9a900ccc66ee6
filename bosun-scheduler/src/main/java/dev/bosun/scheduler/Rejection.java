package dev.bosun.scheduler;

import dev.bosun.model.state.InstanceStatus;

/**
 * Why one host does not take one run's job, as structured data; reasons are written from it only
 * when needed, so rejecting a host costs no string building.
 */
sealed interface Rejection {
  /** How lasting the rejection is. */
  enum Severity {
    /** The host may not take the run at all. */
    NOT_ELIGIBLE,
    /** The host could not fit the job even when empty. */
    NEVER,
    /** The host could fit the job once other jobs release what they hold. */
    BUSY
  }

  Severity severity();

  /**
   * The rejection in words, without the host's name.
   *
   * @param withNeed also say what the run needs (left out when a headline already says it)
   */
  String describe(boolean withNeed);

  /** The instance is not in a state that runs jobs. */
  record NotReady(InstanceStatus status) implements Rejection {
    @Override
    public Severity severity() {
      return Severity.NOT_ELIGIBLE;
    }

    @Override
    public String describe(boolean withNeed) {
      return status.wireName();
    }
  }

  /** The instance runs jobs but its agent has not reported resources yet. */
  record NotDetected() implements Rejection {
    @Override
    public Severity severity() {
      return Severity.NOT_ELIGIBLE;
    }

    @Override
    public String describe(boolean withNeed) {
      return "resources not detected yet";
    }
  }

  /** The instance's fleet is not a cluster fleet, and the run has several nodes. */
  record NotCluster(String fleetName) implements Rejection {
    @Override
    public Severity severity() {
      return Severity.NOT_ELIGIBLE;
    }

    @Override
    public String describe(boolean withNeed) {
      return "fleet " + fleetName + " is not placement: cluster";
    }
  }

  /** The host holds a replica of the service already, and replicas share their host's ports. */
  record HoldsReplica() implements Rejection {
    @Override
    public Severity severity() {
      return Severity.NOT_ELIGIBLE;
    }

    @Override
    public String describe(boolean withNeed) {
      return "runs a replica of this service already";
    }
  }

  /** The run's jobs run in containers and the host's Docker cannot run them (or pass GPUs). */
  record NoContainers(String problem) implements Rejection {
    @Override
    public Severity severity() {
      return Severity.NEVER;
    }

    @Override
    public String describe(boolean withNeed) {
      return "cannot run containers: " + problem;
    }
  }

  /** The run's {@code shm_size} is more than the host's memory. */
  record ShmTooLarge(long shmMb, long hostMb) implements Rejection {
    @Override
    public Severity severity() {
      return Severity.NEVER;
    }

    @Override
    public String describe(boolean withNeed) {
      return Wording.memory(hostMb) + " of memory, less than shm_size " + Wording.memory(shmMb);
    }
  }

  /** The instance's fleet is not one the run lists. */
  record OutsideFleets(String fleetName) implements Rejection {
    @Override
    public Severity severity() {
      return Severity.NOT_ELIGIBLE;
    }

    @Override
    public String describe(boolean withNeed) {
      return "in fleet " + fleetName;
    }
  }

  /** The host's CPUs are of another architecture. */
  record WrongArchitecture(String hostArch, String wanted) implements Rejection {
    @Override
    public Severity severity() {
      return Severity.NEVER;
    }

    @Override
    public String describe(boolean withNeed) {
      return hostArch + " CPUs" + (withNeed ? " (needs " + wanted + ")" : "");
    }
  }

  /** The host has less free disk than the run needs. */
  record DiskShortage(long neededMb, long hostMb) implements Rejection {
    @Override
    public Severity severity() {
      return Severity.NEVER;
    }

    @Override
    public String describe(boolean withNeed) {
      return Wording.memory(hostMb)
          + " free disk"
          + (withNeed ? " (needs " + Wording.memory(neededMb) + ")" : "");
    }
  }

  /** The host has too few CPUs, in total or free. */
  record CpuShortage(int needed, int free, int total) implements Rejection {
    @Override
    public Severity severity() {
      return needed > total ? Severity.NEVER : Severity.BUSY;
    }

    @Override
    public String describe(boolean withNeed) {
      String have =
          needed > total
              ? Wording.count(total, "CPU") + " in total"
              : Math.max(0, free) + " of " + Wording.count(total, "CPU") + " free";
      return have + (withNeed ? " (needs " + needed + ")" : "");
    }
  }

  /** The host has too little memory, in total or free. */
  record MemoryShortage(long neededMb, long freeMb, long totalMb) implements Rejection {
    @Override
    public Severity severity() {
      return neededMb > totalMb ? Severity.NEVER : Severity.BUSY;
    }

    @Override
    public String describe(boolean withNeed) {
      String have =
          neededMb > totalMb
              ? Wording.memory(totalMb) + " memory in total"
              : Wording.memory(Math.max(0, freeMb))
                  + " of "
                  + Wording.memory(totalMb)
                  + " memory free";
      return have + (withNeed ? " (needs " + Wording.memory(neededMb) + ")" : "");
    }
  }

  /**
   * The host lacks GPUs the run needs.
   *
   * @param filter what a device must be, e.g. {@code H100} or {@code nvidia:24GB..}; empty for any
   *     GPU
   * @param byNameOnly true when the filter is model names only, so that it reads as a noun ({@code
   *     no H100})
   * @param needed GPUs a job needs
   * @param hostGpus the host's GPUs
   * @param matching the host's GPUs that match the filter
   * @param matchingFree of those, the ones no job holds
   * @param never true when even an empty host could not give them (too few, or too little total
   *     memory)
   */
  record GpuShortage(
      String filter,
      boolean byNameOnly,
      int needed,
      int hostGpus,
      int matching,
      int matchingFree,
      boolean never)
      implements Rejection {
    @Override
    public Severity severity() {
      return never ? Severity.NEVER : Severity.BUSY;
    }

    @Override
    public String describe(boolean withNeed) {
      if (hostGpus == 0 || matching == 0 && filter.isEmpty()) {
        return "no GPUs";
      }
      if (matching == 0) {
        return byNameOnly ? "no " + filter : "no GPU matching " + filter;
      }
      String need = withNeed ? " (needs " + needed + ")" : "";
      if (never && matching < needed) {
        return matching
            + (byNameOnly ? " " + filter + " GPU" : " GPU")
            + (matching == 1 ? "" : "s")
            + (byNameOnly || filter.isEmpty() ? "" : " matching " + filter)
            + need;
      }
      if (never) {
        return "its "
            + Wording.count(matching, "matching GPU")
            + " lack the total memory asked for";
      }
      String busy = (matching - matchingFree) + "/" + matching;
      if (matching == hostGpus) {
        return busy + " GPUs busy" + need;
      }
      return busy + (byNameOnly ? " " + filter + " GPUs" : " matching GPUs") + " busy" + need;
    }
  }
}
