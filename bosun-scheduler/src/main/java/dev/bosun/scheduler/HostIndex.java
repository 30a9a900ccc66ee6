package dev.bosun.scheduler;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;

/**
 * The ready hosts of a pass by how many GPUs they have free, so that a single-job run looks at the
 * tightest hosts that could take it first (bin-packing) instead of at every host. Bucket 0 holds
 * the hosts without GPUs; bucket {@code 1 + f} the GPU hosts with {@code f} GPUs free. Inside a
 * bucket, hosts go by name, then id, as the plan's ties do.
 */
final class HostIndex {
  private static final Comparator<HostCapacity> BY_NAME =
      Comparator.comparing(HostCapacity::name).thenComparing(HostCapacity::instanceId);

  private final List<TreeSet<HostCapacity>> buckets = new ArrayList<>();

  HostIndex(List<HostCapacity> hosts) {
    for (HostCapacity host : hosts) {
      if (host.resources() != null && host.view().status().canRunJobs()) {
        bucket(bucketOf(host)).add(host);
      }
    }
  }

  private TreeSet<HostCapacity> bucket(int index) {
    while (buckets.size() <= index) {
      buckets.add(new TreeSet<>(BY_NAME));
    }
    return buckets.get(index);
  }

  private static int bucketOf(HostCapacity host) {
    return host.gpuCount() == 0 ? 0 : 1 + Math.max(0, host.freeGpuCount());
  }

  /** Call before a host's free GPUs change; {@link #add} it back after. */
  void remove(HostCapacity host) {
    if (bucketOf(host) < buckets.size()) {
      buckets.get(bucketOf(host)).remove(host);
    }
  }

  void add(HostCapacity host) {
    if (host.resources() != null && host.view().status().canRunJobs()) {
      bucket(bucketOf(host)).add(host);
    }
  }

  /**
   * Buckets in the order a job needing {@code gpus} GPUs should try them: hosts without GPUs first
   * for a job that needs none, then GPU hosts from the fewest GPUs free upward.
   */
  List<TreeSet<HostCapacity>> tightestFirst(int gpus) {
    List<TreeSet<HostCapacity>> order = new ArrayList<>();
    if (gpus == 0 && !buckets.isEmpty()) {
      order.add(buckets.getFirst());
    }
    for (int index = 1 + gpus; index < buckets.size(); index++) {
      order.add(buckets.get(index));
    }
    return order;
  }
}
