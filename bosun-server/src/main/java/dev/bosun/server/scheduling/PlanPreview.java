package dev.bosun.server.scheduling;

import dev.bosun.scheduler.ClusterSnapshot;
import dev.bosun.scheduler.Placed;
import dev.bosun.scheduler.Placement;
import dev.bosun.scheduler.Plan;
import dev.bosun.scheduler.Preview;
import dev.bosun.scheduler.QueuedRun;
import dev.bosun.scheduler.Scheduler;
import dev.bosun.scheduler.Unplaceable;
import dev.bosun.scheduler.Waiting;
import dev.bosun.server.runs.BackendFilter;
import dev.bosun.server.runs.RunSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * What a run of the project would get if it were submitted now, for {@code bosun apply}'s plan.
 *
 * @param preview where it would start, or why it would wait (and until when) or never fit, with
 *     each host's verdict
 * @param fleetName the fleet of the placement as the project names it, or null
 * @param queuePosition where it would wait in its project's queue (1 first), or null
 */
public record PlanPreview(Preview preview, String fleetName, Integer queuePosition) {

  /**
   * Plans the run against the hosts alone (each host's verdict), then, when other runs wait in its
   * pool, in the queue as if submitted now, so that the runs ahead of it and their reservations
   * count. Nothing is placed.
   */
  static PlanPreview of(
      SnapshotReader.Snapshot read,
      Scheduler scheduler,
      Instant now,
      String projectId,
      String userId,
      RunSpec spec,
      String runName) {
    Optional<List<String>> fleets = read.pools().fleetsFor(spec, projectId);
    if (fleets.isEmpty()) {
      return new PlanPreview(
          new Preview(new Unplaceable(Preview.RUN_ID, BackendFilter.noneReason(spec)), List.of()),
          null,
          null);
    }
    String pool = read.pools().poolOf(projectId);
    ClusterSnapshot cluster = read.clusters().getOrDefault(pool, new ClusterSnapshot(List.of()));
    Preview preview =
        scheduler.preview(
            cluster, spec.resources(), fleets.get(), spec.nodes(), spec.inContainer(), null);
    Integer position = null;
    List<QueuedRun> queue = read.queues().getOrDefault(pool, List.of());
    if (!(preview.outcome() instanceof Unplaceable) && !queue.isEmpty()) {
      List<QueuedRun> withRun = new ArrayList<>(queue);
      withRun.add(
          new QueuedRun(
              Preview.RUN_ID,
              runName,
              spec.priority(),
              now,
              spec.resources(),
              fleets.get(),
              IntStream.range(0, spec.nodes()).mapToObj(i -> Preview.RUN_ID + "-" + i).toList(),
              spec.maxDuration(),
              projectId,
              userId,
              spec.preemptible(),
              spec.inContainer()));
      Plan plan = scheduler.plan(cluster, withRun, read.share(), now, new Random(0));
      List<Placement> placed =
          plan.placements().stream().filter(p -> p.runId().equals(Preview.RUN_ID)).toList();
      if (!placed.isEmpty()) {
        preview = new Preview(new Placed(Preview.RUN_ID, placed), preview.hosts());
      } else {
        int ahead = 0;
        for (Waiting w : plan.waiting()) {
          if (w.runId().equals(Preview.RUN_ID)) {
            preview = new Preview(w, preview.hosts());
            position = ahead + 1;
            break;
          }
          var queued = read.runs().get(w.runId());
          if (queued != null && queued.projectId().equals(projectId)) {
            ahead++;
          }
        }
      }
    }
    String fleetName =
        preview
            .placement()
            .flatMap(
                p ->
                    read.instances().stream()
                        .filter(i -> i.id().equals(p.instanceId()))
                        .findFirst())
            .map(i -> read.pools().nameFor(i, projectId))
            .orElse(null);
    return new PlanPreview(preview, fleetName, position);
  }
}
