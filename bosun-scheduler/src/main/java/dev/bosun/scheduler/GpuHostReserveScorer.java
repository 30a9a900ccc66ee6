package dev.bosun.scheduler;

/**
 * Keeps GPU hosts for GPU work: a job that needs no GPU goes to a host without GPUs whenever one
 * can take it, so it does not use up the CPUs and memory that GPU jobs there will need.
 */
final class GpuHostReserveScorer implements HostScorer {
  /** Larger than any bin-packing penalty, so that it decides before bin-packing does. */
  static final double PENALTY = 100;

  @Override
  public double penalty(Candidate candidate) {
    boolean cpuOnlyJob = candidate.gpuPositions().length == 0;
    return cpuOnlyJob && candidate.host().gpuCount() > 0 ? PENALTY : 0;
  }
}
