package dev.bosun.server.runs;

import dev.bosun.api.JobInfo;
import dev.bosun.api.RunInfo;
import dev.bosun.model.state.RunStatus;
import dev.bosun.scheduler.Waiting;
import dev.bosun.store.InstanceRecord;
import dev.bosun.store.JobRecord;
import dev.bosun.store.RunRecord;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Turns stored runs and jobs into what the API shows. */
final class RunViews {
  private RunViews() {}

  static RunInfo info(
      RunRecord run,
      RunSpec spec,
      List<JobRecord> jobs,
      Optional<Waiting> waiting,
      Integer queuePosition,
      Map<String, InstanceRecord> instances,
      ReplicaReadiness readiness) {
    List<JobInfo> jobInfos =
        jobs.stream()
            .map(
                job ->
                    job(
                        job,
                        instances.get(job.instanceId()),
                        spec.isService() ? readiness : ReplicaReadiness.UNKNOWN))
            .toList();
    String reasonText;
    if (run.status().isFinished()) {
      reasonText =
          run.terminationMessage() != null
              ? run.terminationMessage()
              : run.terminationReason() == null ? null : run.terminationReason().description();
    } else if (run.status() == RunStatus.PENDING || run.status() == RunStatus.SUBMITTED) {
      reasonText = waiting.map(Waiting::reason).orElse(run.waitReason());
    } else if (spec.isService() && run.status() == RunStatus.RUNNING) {
      reasonText =
          ServiceViews.readiness(
              run.deploymentNum(), jobs, readiness, waiting.map(Waiting::reason));
    } else {
      // A job pulling its image says how far it got.
      reasonText =
          jobs.stream()
              .filter(job -> job.status() == dev.bosun.model.state.JobStatus.PULLING)
              .map(JobRecord::message)
              .filter(java.util.Objects::nonNull)
              .findFirst()
              .orElse(null);
    }
    boolean pulling =
        run.status() == RunStatus.PROVISIONING
            && jobs.stream()
                .anyMatch(job -> job.status() == dev.bosun.model.state.JobStatus.PULLING);
    return new RunInfo(
        run.id(),
        run.projectName(),
        run.name(),
        run.userName(),
        run.type(),
        pulling ? "pulling" : run.status().wireName(),
        run.terminationReason() == null ? null : run.terminationReason().wireName(),
        reasonText,
        run.exitStatus(),
        run.priority(),
        describe(spec),
        spec.ports(),
        run.submittedAt(),
        run.startedAt(),
        run.finishedAt(),
        waiting.map(Waiting::estimatedStart).orElse(null),
        jobInfos,
        run.status().isFinished() ? null : queuePosition);
  }

  static JobInfo job(JobRecord job, InstanceRecord instance) {
    return job(job, instance, ReplicaReadiness.UNKNOWN);
  }

  static JobInfo job(JobRecord job, InstanceRecord instance, ReplicaReadiness readiness) {
    Boolean ready =
        job.status() == dev.bosun.model.state.JobStatus.RUNNING ? readiness.ready(job.id()) : null;
    String notReady = ready == Boolean.FALSE ? readiness.notReadyWhy(job.id()) : null;
    return new JobInfo(
        job.id(),
        job.jobNum(),
        job.submissionNum(),
        job.status().wireName(),
        instance == null ? null : instance.fleetName(),
        instance == null ? null : instance.name(),
        job.cpus(),
        job.memoryMb(),
        job.gpus(),
        job.exitStatus(),
        job.terminationReason() == null ? null : job.terminationReason().wireName(),
        notReady != null ? notReady : job.message(),
        job.submittedAt(),
        job.startedAt(),
        job.finishedAt(),
        ready);
  }

  /** Resources in the configuration grammar, defaults shown as such. */
  static String describe(RunSpec spec) {
    var resources = spec.resources();
    StringBuilder out = new StringBuilder();
    out.append("cpu=").append(resources.cpuOrDefault());
    out.append(" mem=").append(resources.memoryOrDefault());
    out.append(" disk=").append(resources.diskOrDefault());
    if (resources.gpuOrDefault().wantsGpus()) {
      out.append(" gpu=").append(resources.gpuOrDefault());
    }
    return out.toString();
  }
}
