package dev.bosun.server.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bosun.model.config.RateLimitSpec;
import dev.bosun.model.config.RateLimitSpec.Key;
import dev.bosun.server.proxy.RateLimits.Decision;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class RateLimitsTest {
  private static final long SECOND = 1_000_000_000L;
  private static final long MILLI = 1_000_000L;
  private static final Function<String, String> NO_HEADERS = name -> null;

  /** The fake clock, in nanoseconds; starts off zero to catch code that assumes it. */
  private long now = 1_234_567_890_123L;

  private RateLimits limits(RateLimitSpec... specs) {
    return new RateLimits(List.of(specs), () -> now);
  }

  private static RateLimitSpec ip(String prefix, double rps, int burst) {
    return new RateLimitSpec(prefix, Key.IP, rps, burst);
  }

  private static Function<String, String> headers(Map<String, String> headers) {
    return headers::get;
  }

  @Test
  void withoutBurstOneRequestPerIntervalAndRetryAfterTheInterval() {
    RateLimits limits = limits(ip("/", 1, 0));

    assertThat(limits.check("/", "10.0.0.1", NO_HEADERS)).isEqualTo(Decision.ALLOWED);
    Decision refused = limits.check("/", "10.0.0.1", NO_HEADERS);
    assertThat(refused.allowed()).isFalse();
    assertThat(refused.retryAfterSeconds()).isEqualTo(1);
    assertThat(refused.limit()).isEqualTo(ip("/", 1, 0));

    now += SECOND - 1;
    assertThat(limits.check("/", "10.0.0.1", NO_HEADERS).allowed()).isFalse();
    now += 1;
    assertThat(limits.check("/", "10.0.0.1", NO_HEADERS).allowed()).isTrue();
  }

  @Test
  void burstLetsOnePlusBurstRequestsThroughAtOnceThenOnePerInterval() {
    RateLimits limits = limits(ip("/", 10, 5));

    for (int i = 0; i < 6; i++) {
      assertThat(limits.check("/a", "10.0.0.1", NO_HEADERS).allowed()).as("request %d", i).isTrue();
    }
    assertThat(limits.check("/a", "10.0.0.1", NO_HEADERS).allowed()).isFalse();

    now += 100 * MILLI;
    assertThat(limits.check("/a", "10.0.0.1", NO_HEADERS).allowed()).isTrue();
    assertThat(limits.check("/a", "10.0.0.1", NO_HEADERS).allowed()).isFalse();
  }

  @Test
  void eachClientAddressHasItsOwnBucket() {
    RateLimits limits = limits(ip("/", 1, 0));

    assertThat(limits.check("/", "10.0.0.1", NO_HEADERS).allowed()).isTrue();
    assertThat(limits.check("/", "10.0.0.2", NO_HEADERS).allowed()).isTrue();
    assertThat(limits.check("/", "10.0.0.1", NO_HEADERS).allowed()).isFalse();
    assertThat(limits.check("/", "10.0.0.2", NO_HEADERS).allowed()).isFalse();
  }

  @Test
  void aHeaderKeyCountsEachValueApartAndLeavesRequestsWithoutItUnlimited() {
    RateLimits limits = limits(new RateLimitSpec("/", Key.header("X-Api-Key"), 1, 0));
    var alice = headers(Map.of("X-Api-Key", "alice"));
    var bob = headers(Map.of("X-Api-Key", "bob"));

    assertThat(limits.check("/", "10.0.0.1", alice).allowed()).isTrue();
    assertThat(limits.check("/", "10.0.0.1", bob).allowed()).isTrue();
    assertThat(limits.check("/", "10.0.0.1", alice).allowed()).isFalse();
    assertThat(limits.check("/", "10.0.0.2", alice).allowed()).isFalse();

    for (int i = 0; i < 100; i++) {
      assertThat(limits.check("/", "10.0.0.1", NO_HEADERS).allowed()).isTrue();
      assertThat(limits.check("/", "10.0.0.1", headers(Map.of("X-Api-Key", ""))).allowed())
          .isTrue();
    }
    assertThat(limits.size()).isEqualTo(2);
  }

  @Test
  void longKeysAreCountedByTheirDigest() {
    RateLimits limits = limits(new RateLimitSpec("/", Key.header("X-Api-Key"), 1, 0));
    String longKey = "k".repeat(8000);

    assertThat(limits.check("/", "10.0.0.1", headers(Map.of("X-Api-Key", longKey))).allowed())
        .isTrue();
    assertThat(limits.check("/", "10.0.0.1", headers(Map.of("X-Api-Key", longKey))).allowed())
        .isFalse();
    assertThat(limits.check("/", "10.0.0.1", headers(Map.of("X-Api-Key", longKey + "x"))).allowed())
        .isTrue();
  }

  @Test
  void onlyTheLongestMatchingPrefixApplies() {
    RateLimits limits = limits(ip("/", 1, 0), ip("/v1/", 100, 10));

    for (int i = 0; i < 11; i++) {
      assertThat(limits.check("/v1/x", "10.0.0.1", NO_HEADERS).allowed()).isTrue();
    }
    Decision refused = limits.check("/v1/chat", "10.0.0.1", NO_HEADERS);
    assertThat(refused.allowed()).isFalse();
    assertThat(refused.limit().prefix()).isEqualTo("/v1/");
    // The root's bucket was not touched by the requests under /v1/.
    assertThat(limits.check("/v2/x", "10.0.0.1", NO_HEADERS).allowed()).isTrue();
    assertThat(limits.check("/v1", "10.0.0.1", NO_HEADERS).allowed()).isFalse();
  }

  @Test
  void prefixesMatchAsPlainStrings() {
    RateLimits limits = limits(ip("/v1", 1, 0));

    assertThat(limits.check("/v1x", "10.0.0.1", NO_HEADERS).allowed()).isTrue();
    assertThat(limits.check("/v1/y", "10.0.0.1", NO_HEADERS).allowed()).isFalse();
    assertThat(limits.check("/v", "10.0.0.1", NO_HEADERS).allowed()).isTrue();
    assertThat(limits.check("/v", "10.0.0.1", NO_HEADERS).allowed()).isTrue();
    assertThat(limits.check("/", "10.0.0.1", NO_HEADERS).allowed()).isTrue();
  }

  @Test
  void limitsOfOnePrefixAllApplyAndARefusalByOneTakesNothingFromTheOthers() {
    RateLimitSpec perIp = ip("/", 1, 0);
    RateLimitSpec perKey = new RateLimitSpec("/", Key.header("X-Api-Key"), 1, 1);
    RateLimits limits = limits(perIp, perKey);
    var key = headers(Map.of("X-Api-Key", "k"));

    assertThat(limits.check("/", "10.0.0.1", key).allowed()).isTrue();
    Decision refused = limits.check("/", "10.0.0.1", key);
    assertThat(refused.allowed()).isFalse();
    assertThat(refused.limit()).isEqualTo(perIp);
    // The refused request left k's last token: another address may use it, then k is spent.
    assertThat(limits.check("/", "10.0.0.2", key).allowed()).isTrue();
    refused = limits.check("/", "10.0.0.3", key);
    assertThat(refused.allowed()).isFalse();
    assertThat(refused.limit()).isEqualTo(perKey);
    // Without the header, only the address is counted.
    assertThat(limits.check("/", "10.0.0.3", NO_HEADERS).allowed()).isTrue();
  }

  @Test
  void aRefusedRequestTakesNoToken() {
    RateLimits limits = limits(ip("/", 2, 0));

    assertThat(limits.check("/", "10.0.0.1", NO_HEADERS).allowed()).isTrue();
    for (int i = 0; i < 10; i++) {
      now += 10 * MILLI;
      assertThat(limits.check("/", "10.0.0.1", NO_HEADERS).allowed()).isFalse();
    }
    now += 400 * MILLI; // 500 ms after the allowed request: exactly one interval
    assertThat(limits.check("/", "10.0.0.1", NO_HEADERS).allowed()).isTrue();
  }

  @Test
  void retryAfterRoundsUpToWholeSeconds() {
    RateLimits slow = limits(ip("/", 0.5, 0));
    slow.check("/", "10.0.0.1", NO_HEADERS);
    assertThat(slow.check("/", "10.0.0.1", NO_HEADERS).retryAfterSeconds()).isEqualTo(2);
    now += SECOND + 1;
    assertThat(slow.check("/", "10.0.0.1", NO_HEADERS).retryAfterSeconds()).isEqualTo(1);

    RateLimits fast = limits(ip("/", 3, 0));
    fast.check("/", "10.0.0.1", NO_HEADERS);
    assertThat(fast.check("/", "10.0.0.1", NO_HEADERS).retryAfterSeconds()).isEqualTo(1);
  }

  @Test
  void withoutLimitsEverythingPasses() {
    RateLimits limits = limits();

    assertThat(limits.isEmpty()).isTrue();
    for (int i = 0; i < 1000; i++) {
      assertThat(limits.check("/x", "10.0.0.1", NO_HEADERS)).isSameAs(Decision.ALLOWED);
    }
    assertThat(limits(ip("/v1/", 1, 0)).check("/v2/", "10.0.0.1", NO_HEADERS))
        .isSameAs(Decision.ALLOWED);
  }

  @Test
  void bucketsStayWithinTheBoundAndFullOnesAreDroppedExactly() {
    RateLimits limits = limits(ip("/", 1, 0));

    for (int i = 0; i < 200_000; i++) {
      now += MILLI;
      assertThat(limits.check("/", "key-" + i, NO_HEADERS).allowed()).isTrue();
      assertThat(limits.size()).isLessThanOrEqualTo(RateLimits.MAX_BUCKETS);
    }
    // The keys of the last second still have empty buckets: none was dropped.
    for (int i = 200_000 - 999; i < 200_000; i++) {
      assertThat(limits.check("/", "key-" + i, NO_HEADERS).allowed()).as("key-%d", i).isFalse();
    }
  }

  @Test
  void aFloodOfKeysAtOnceStaysWithinTheBound() {
    int bound = 1000;
    RateLimits limits = new RateLimits(List.of(ip("/", 1, 0)), () -> now, bound);

    for (int i = 0; i < 20_000; i++) {
      assertThat(limits.check("/", "key-" + i, NO_HEADERS).allowed()).isTrue();
      assertThat(limits.size()).isLessThanOrEqualTo(bound);
    }
    // The newest keys are still counted.
    assertThat(limits.check("/", "key-19999", NO_HEADERS).allowed()).isFalse();
  }

  @Test
  void concurrentRequestsTakeEachTokenOnce() throws InterruptedException {
    RateLimits limits = limits(ip("/", 1, 99), new RateLimitSpec("/", Key.header("K"), 1, 199));
    var key = headers(Map.of("K", "k"));
    AtomicInteger allowed = new AtomicInteger();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      threads.add(
          Thread.ofPlatform()
              .start(
                  () -> {
                    for (int i = 0; i < 5_000; i++) {
                      if (limits.check("/", "10.0.0.1", key).allowed()) {
                        allowed.incrementAndGet();
                      }
                    }
                  }));
    }
    for (Thread thread : threads) {
      thread.join();
    }
    assertThat(allowed.get()).isEqualTo(100);
    // The header's bucket gave only the 100 tokens the address's limit let through.
    for (int i = 0; i < 100; i++) {
      assertThat(limits.check("/", "10.0.0." + (i + 2), key).allowed()).isTrue();
    }
    assertThat(limits.check("/", "10.0.0.200", key).allowed()).isFalse();
  }

  /**
   * In any window of {@code w} seconds a key gets at most {@code 1 + burst + floor(w * rps)}
   * requests through, and a key that waited {@code (burst + 1) / rps} seconds always gets through.
   */
  @Property(tries = 300)
  void neverMoreThanTheRateAndBurstAndAlwaysAfterAFullRefill(
      @ForAll @DoubleRange(min = 0.1, max = 1000) double rps,
      @ForAll @IntRange(min = 0, max = 50) int burst,
      @ForAll @Size(max = 300) List<@LongRange(min = 0, max = 3 * SECOND) Long> gaps) {
    RateLimitSpec spec = ip("/", rps, burst);
    RateLimits limits = limits(spec);
    long fullRefill = (long) Math.ceil((burst + 1) * (double) SECOND / rps);
    List<Long> allowedAt = new ArrayList<>();
    long previous = Long.MIN_VALUE;
    for (long gap : gaps) {
      // Gaps are mostly short (to exercise the burst), sometimes as given.
      now += gap % 7 == 0 ? gap : gap / 1000;
      Decision decision = limits.check("/", "10.0.0.1", NO_HEADERS);
      if (previous != Long.MIN_VALUE && now - previous >= fullRefill) {
        assertThat(decision.allowed()).as("after waiting %d ns", now - previous).isTrue();
      }
      if (decision.allowed()) {
        allowedAt.add(now);
      } else {
        assertThat(decision.retryAfterSeconds()).isPositive();
      }
      previous = now;
    }
    for (int i = 0; i < allowedAt.size(); i++) {
      for (int j = i; j < allowedAt.size(); j++) {
        long window = allowedAt.get(j) - allowedAt.get(i);
        // Intervals are rounded up to the nanosecond, so no slack is needed beyond the float's.
        long most = 1 + burst + (long) Math.floor(window * rps / SECOND * (1 + 1e-12));
        assertThat(j - i + 1L).as("allowed within %d ns", window).isLessThanOrEqualTo(most);
      }
    }
  }
}
