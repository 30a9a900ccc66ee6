package dev.bosun.server.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bosun.model.config.ReplicaRange;
import dev.bosun.model.config.ScalingSpec;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class AutoscalerTest {
  @Test
  void replicasAreTheRateOverTheTargetRoundedUpWithinTheRange() {
    ScalingSpec ten = ScalingSpec.rps(10);
    ReplicaRange zeroToFour = new ReplicaRange(0, 4);

    assertThat(Autoscaler.desired(0, ten, zeroToFour)).isZero();
    assertThat(Autoscaler.desired(0.01, ten, zeroToFour)).isEqualTo(1); // one request wakes it
    assertThat(Autoscaler.desired(10, ten, zeroToFour)).isEqualTo(1);
    assertThat(Autoscaler.desired(10.5, ten, zeroToFour)).isEqualTo(2);
    assertThat(Autoscaler.desired(1000, ten, zeroToFour)).isEqualTo(4);
    assertThat(Autoscaler.desired(0, ten, new ReplicaRange(2, 4))).isEqualTo(2);
  }

  @Property
  void theCountStaysInTheRangeAndCoversTheRate(
      @ForAll @DoubleRange(min = 0, max = 10_000) double rps,
      @ForAll @DoubleRange(min = 0.1, max = 100) double target,
      @ForAll @IntRange(min = 0, max = 5) int min,
      @ForAll @IntRange(min = 0, max = 20) int extra) {
    ReplicaRange range = new ReplicaRange(min, Math.max(1, min + extra));
    int replicas = Autoscaler.desired(rps, ScalingSpec.rps(target), range);

    assertThat(replicas).isBetween(range.min(), range.max());
    if (replicas < range.max()) {
      assertThat(replicas * target).isGreaterThanOrEqualTo(rps - 1e-6);
    }
  }

  @Test
  void theRateIsTheAverageOverTheWindow() {
    RequestRate rate = new RequestRate();
    for (int i = 0; i < 30; i++) {
      rate.add(1000);
    }
    rate.add(1009);

    assertThat(rate.perSecond(1009, 10)).isEqualTo(3.1);
    assertThat(rate.perSecond(1010, 10)).isEqualTo(0.1); // second 1000 left the window
    assertThat(rate.perSecond(1019, 10)).isZero();
    assertThat(rate.perSecond(1000 + RequestRate.SECONDS, 10)).isZero(); // slots reused later
  }
}
