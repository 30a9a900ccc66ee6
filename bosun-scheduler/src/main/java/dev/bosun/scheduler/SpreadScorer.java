package dev.bosun.scheduler;

/**
 * Spreading, the opposite of {@link BinPackScorer}: prefer the host left with the most free
 * capacity after the placement, so that load is even across hosts (at the price of fewer whole
 * hosts free for big runs).
 */
final class SpreadScorer implements HostScorer {
  private final BinPackScorer binPack = new BinPackScorer();

  @Override
  public double penalty(Candidate candidate) {
    return BinPackScorer.GPU_WEIGHT + 2 - binPack.penalty(candidate);
  }
}
