package dev.bosun.model.config;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How a service with a range of {@code replicas} decides how many run, as dstack's {@code scaling}:
 * enough replicas that each gets about {@code target} requests per second, averaged over {@code
 * window}, changing the count no sooner than {@code scale_up_delay} (up) or {@code
 * scale_down_delay} (down) after the last change.
 *
 * @param metric what is measured: {@link #RPS}, requests per second, the only metric
 * @param target the requests per second each replica should get, more than 0
 * @param window how far back requests are averaged; {@link #DEFAULT_WINDOW} when null; at least 1s
 * @param scaleUpDelay the least time between a change and adding replicas; {@link
 *     #DEFAULT_SCALE_UP_DELAY} when null
 * @param scaleDownDelay the least time between a change and removing replicas; {@link
 *     #DEFAULT_SCALE_DOWN_DELAY} when null
 */
public record ScalingSpec(
    String metric, double target, Duration window, Duration scaleUpDelay, Duration scaleDownDelay) {
  /** Requests per second. */
  public static final String RPS = "rps";

  /** The values {@code metric} may take. */
  public static final List<String> METRICS = List.of(RPS);

  public static final Duration DEFAULT_WINDOW = Duration.ofSeconds(60);
  public static final Duration DEFAULT_SCALE_UP_DELAY = Duration.ofMinutes(5);
  public static final Duration DEFAULT_SCALE_DOWN_DELAY = Duration.ofMinutes(10);

  public ScalingSpec {
    ServiceFieldRules.metric(Objects.requireNonNull(metric, "metric is null"));
    ServiceFieldRules.positive("target", target);
    window = window == null ? DEFAULT_WINDOW : ServiceFieldRules.window(window);
    scaleUpDelay =
        scaleUpDelay == null
            ? DEFAULT_SCALE_UP_DELAY
            : ServiceFieldRules.notNegative("scale_up_delay", scaleUpDelay);
    scaleDownDelay =
        scaleDownDelay == null
            ? DEFAULT_SCALE_DOWN_DELAY
            : ServiceFieldRules.notNegative("scale_down_delay", scaleDownDelay);
  }

  /** Scaling on requests per second with every other field at its default. */
  public static ScalingSpec rps(double target) {
    return new ScalingSpec(RPS, target, null, null, null);
  }
}
