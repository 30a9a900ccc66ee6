package dev.bosun.scheduler;

import java.util.Map;
import java.util.Objects;

/**
 * What fair share orders runs of equal priority by: how much each project and each user has used,
 * in GPU-hours over a decaying window (the server computes it), and each project's weight. A
 * project with twice the weight is entitled to twice the use. Users inside a project share it
 * equally.
 *
 * @param projectWeights weight per project; 1 when absent
 * @param projectUsage GPU-hours used per project; 0 when absent
 * @param userUsage GPU-hours used per user, keyed by {@link #userKey(String, String)}; 0 when
 *     absent
 */
public record FairShare(
    Map<String, Double> projectWeights,
    Map<String, Double> projectUsage,
    Map<String, Double> userUsage) {
  /** No history and equal weights. */
  public static final FairShare NONE = new FairShare(Map.of(), Map.of(), Map.of());

  /** A job without GPUs is charged this fraction of a GPU per CPU. */
  public static final double GPU_PER_CPU = 1.0 / 16;

  public FairShare {
    projectWeights = Map.copyOf(projectWeights);
    projectUsage = Map.copyOf(projectUsage);
    userUsage = Map.copyOf(userUsage);
    projectWeights.forEach(
        (project, weight) -> {
          if (!(weight > 0) || weight.isInfinite()) {
            throw new IllegalArgumentException(
                "the weight of project " + project + " must be positive: " + weight);
          }
        });
  }

  public static String userKey(String project, String user) {
    return Objects.requireNonNull(project) + "/" + Objects.requireNonNull(user);
  }

  double weight(String project) {
    return projectWeights.getOrDefault(project, 1.0);
  }

  double projectUsage(String project) {
    return projectUsage.getOrDefault(project, 0.0);
  }

  double userUsage(String project, String user) {
    return userUsage.getOrDefault(userKey(project, user), 0.0);
  }
}
