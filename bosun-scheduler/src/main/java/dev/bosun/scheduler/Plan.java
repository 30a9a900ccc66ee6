package dev.bosun.scheduler;

import java.util.ArrayList;
import java.util.List;

/**
 * The scheduler's answer for a queue: every queued run appears exactly once, either with placements
 * for all of its jobs, in {@code waiting}, or in {@code unplaceable}. Each list follows the queue
 * order the scheduler used.
 *
 * @param placements jobs to start now
 * @param waiting runs that stay queued
 * @param unplaceable runs that no current host could ever fit
 * @param preemptions preemptible runs to stop so that waiting runs of higher priority can start
 */
public record Plan(
    List<Placement> placements,
    List<Waiting> waiting,
    List<Unplaceable> unplaceable,
    List<Preemption> preemptions) {
  public Plan {
    placements = List.copyOf(placements);
    waiting = List.copyOf(waiting);
    unplaceable = List.copyOf(unplaceable);
    preemptions = List.copyOf(preemptions);
  }

  /** A plan that preempts nothing. */
  public Plan(List<Placement> placements, List<Waiting> waiting, List<Unplaceable> unplaceable) {
    this(placements, waiting, unplaceable, List.of());
  }

  /** Collects outcomes, in order, into a plan. */
  public static Plan of(List<RunOutcome> outcomes) {
    List<Placement> placements = new ArrayList<>();
    List<Waiting> waiting = new ArrayList<>();
    List<Unplaceable> unplaceable = new ArrayList<>();
    for (RunOutcome outcome : outcomes) {
      switch (outcome) {
        case Placed placed -> placements.addAll(placed.placements());
        case Waiting wait -> waiting.add(wait);
        case Unplaceable never -> unplaceable.add(never);
      }
    }
    return new Plan(placements, waiting, unplaceable);
  }
}
