package dev.bosun.server.scheduling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class FairShareUsageTest {
  private static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");

  @Test
  void anHourJustEndedCountsFullyAndAWeekOldOneHalf() {
    double recent = FairShareUsage.decayed(8, NOW.minus(Duration.ofHours(1)), NOW, NOW);
    assertThat(recent).isCloseTo(8.0, within(0.05));
    Instant weekAgo = NOW.minus(FairShareUsage.HALF_LIFE);
    double old = FairShareUsage.decayed(8, weekAgo.minus(Duration.ofHours(1)), weekAgo, NOW);
    assertThat(old).isCloseTo(4.0, within(0.05));
    assertThat(FairShareUsage.decayed(8, NOW, NOW, NOW)).isZero();
  }
}
