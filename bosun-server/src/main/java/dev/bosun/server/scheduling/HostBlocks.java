package dev.bosun.server.scheduling;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bosun.api.Json;
import dev.bosun.model.host.GpuDevice;
import dev.bosun.model.host.HostResources;
import dev.bosun.scheduler.Allocation;
import dev.bosun.scheduler.InstanceView;
import dev.bosun.store.InstanceRecord;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A host split into {@code blocks} equal shares (its CPUs, memory and GPUs divided evenly). The
 * scheduler sees each share as an instance of its own; a job takes a whole share, and a share runs
 * one job at a time, as dstack's blocks do. A host without blocks is one share, unchanged.
 */
final class HostBlocks {
  /** Separates the instance id from the block number in a share's view id. */
  static final String SEPARATOR = "#";

  /** One share of a host: what a job placed on it gets. */
  record Block(
      String instanceId, int cpus, long memoryMb, List<Integer> gpus, List<String> uuids) {}

  private HostBlocks() {}

  /**
   * How many shares the host's settings ask for: {@code 0} in settings means auto (one per GPU).
   */
  static int count(InstanceRecord instance) {
    if (instance.hostSpec() == null || instance.resources() == null) {
      return 1;
    }
    try {
      JsonNode spec = Json.mapper().readTree(instance.hostSpec());
      int blocks = spec.path("blocks").asInt(1);
      int gpus = instance.resources().gpus().size();
      int count = blocks == 0 ? Math.max(1, gpus) : Math.max(1, blocks);
      return gpus > 0 && gpus % count != 0 ? 1 : count;
    } catch (IOException e) {
      return 1;
    }
  }

  /**
   * The views of a host split into {@code count} shares, with the shares' definitions added to
   * {@code blocks} by view id. Jobs holding resources fill the share their GPUs belong to (on a
   * host without GPUs, any free share).
   */
  static List<InstanceView> split(
      InstanceRecord instance, int count, List<Allocation> allocations, Map<String, Block> blocks) {
    HostResources host = instance.resources();
    List<GpuDevice> gpus =
        host.gpus().stream().sorted(Comparator.comparingInt(GpuDevice::index)).toList();
    int perBlock = gpus.size() / count;
    Map<Integer, Allocation> holder = new HashMap<>();
    List<Allocation> withoutGpus = new ArrayList<>();
    for (Allocation allocation : allocations) {
      if (allocation.gpuIndices().isEmpty() || perBlock == 0) {
        withoutGpus.add(allocation);
      } else {
        int position = positionOf(gpus, allocation.gpuIndices().getFirst());
        holder.put(position / perBlock, allocation);
      }
    }
    List<InstanceView> views = new ArrayList<>();
    for (int b = 0; b < count; b++) {
      List<GpuDevice> slice = gpus.subList(b * perBlock, (b + 1) * perBlock);
      Block block =
          new Block(
              instance.id(),
              host.cpus() / count,
              host.memoryMb() / count,
              slice.stream().map(GpuDevice::index).toList(),
              slice.stream().map(GpuDevice::uuid).toList());
      String id = instance.id() + SEPARATOR + b;
      blocks.put(id, block);
      Allocation occupant = holder.get(b);
      if (occupant == null && !withoutGpus.isEmpty()) {
        occupant = withoutGpus.removeFirst();
      }
      List<Allocation> inside =
          occupant == null
              ? List.of()
              : List.of(
                  new Allocation(
                      occupant.jobId(),
                      occupant.runId(),
                      block.cpus(),
                      block.memoryMb(),
                      block.gpus(),
                      occupant.expectedEnd()));
      views.add(
          new InstanceView(
              id,
              instance.name() + "/" + b,
              instance.fleetName(),
              SnapshotReader.schedulingStatus(instance),
              new HostResources(
                  host.hostname(),
                  host.arch(),
                  block.cpus(),
                  block.memoryMb(),
                  host.diskMb(),
                  slice,
                  host.internalIp()),
              inside,
              instance.fleetCluster()));
    }
    return views;
  }

  private static int positionOf(List<GpuDevice> gpus, int index) {
    for (int i = 0; i < gpus.size(); i++) {
      if (gpus.get(i).index() == index) {
        return i;
      }
    }
    return 0;
  }
}
