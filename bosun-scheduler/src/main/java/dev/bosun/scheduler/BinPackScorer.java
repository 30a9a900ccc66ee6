package dev.bosun.scheduler;

/**
 * Bin-packing: prefer the host left with the least free capacity after the placement, so that whole
 * hosts stay free for big jobs. Each resource counts as the fraction of the host left free; GPUs
 * weigh ten times CPUs and memory.
 */
final class BinPackScorer implements HostScorer {
  static final double GPU_WEIGHT = 10;

  @Override
  public double penalty(Candidate candidate) {
    HostCapacity host = candidate.host();
    double gpusLeft =
        host.gpuCount() == 0
            ? 0
            : (double) (host.freeGpuCount() - candidate.gpuPositions().length) / host.gpuCount();
    double cpusLeft = fraction(host.freeCpus() - candidate.cpus(), host.totalCpus());
    double memoryLeft = fraction(host.freeMemoryMb() - candidate.memoryMb(), host.totalMemoryMb());
    return GPU_WEIGHT * gpusLeft + cpusLeft + memoryLeft;
  }

  private static double fraction(long left, long total) {
    return total <= 0 ? 0 : (double) Math.max(0, left) / total;
  }
}
