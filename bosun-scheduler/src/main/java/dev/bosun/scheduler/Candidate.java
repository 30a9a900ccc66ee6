package dev.bosun.scheduler;

import java.util.Comparator;

/**
 * A host that can take a job now, with what the job would get there.
 *
 * @param host the host
 * @param cpus CPUs the job would get
 * @param memoryMb memory the job would get, in MiB
 * @param gpuPositions the GPUs it would get, as positions in the host's index order
 * @param score the sum of the scorers' penalties; lower is better
 */
record Candidate(HostCapacity host, int cpus, long memoryMb, int[] gpuPositions, double score) {
  /** Best first: lowest score, then instance name, then id, so that plans are deterministic. */
  static final Comparator<Candidate> BEST_FIRST =
      Comparator.comparingDouble(Candidate::score)
          .thenComparing(candidate -> candidate.host().name())
          .thenComparing(candidate -> candidate.host().instanceId());

  Candidate withScore(double newScore) {
    return new Candidate(host, cpus, memoryMb, gpuPositions, newScore);
  }
}
