package dev.bosun.server.runs;

/** Whether a service's replica (one of its running jobs) is ready for traffic, and why not. */
public interface ReplicaReadiness {
  /** Nobody checks readiness: every answer is unknown. */
  ReplicaReadiness UNKNOWN =
      new ReplicaReadiness() {
        @Override
        public Boolean ready(String jobId) {
          return null;
        }

        @Override
        public String notReadyWhy(String jobId) {
          return null;
        }
      };

  /** True or false for a running replica being checked; null for any other job. */
  Boolean ready(String jobId);

  /** Why the replica is not ready, or null when it is (or is not being checked). */
  String notReadyWhy(String jobId);
}
