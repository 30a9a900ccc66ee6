package dev.bosun.agent;

import dev.bosun.api.agent.JobSpec;
import java.util.regex.Pattern;

/** What the agent accepts in a submitted job; a bad spec is answered with a 400 and a reason. */
final class JobSpecRules {
  private static final Pattern JOB_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
  private static final Pattern FILE_VARIABLE = Pattern.compile("[A-Z][A-Z0-9_]{0,63}");

  private JobSpecRules() {}

  static void validate(JobSpec spec) {
    if (spec.jobId() == null || !JOB_ID.matcher(spec.jobId()).matches()) {
      throw ApiException.badRequest(
          "job_id must be 1 to 128 letters, digits, '.', '_' or '-', not starting with "
              + "'.', '_' or '-'; got "
              + spec.jobId());
    }
    if (spec.stopDurationSeconds() < 0) {
      throw ApiException.badRequest("stop_duration_seconds must not be negative");
    }
    if (spec.maxDurationSeconds() != null && spec.maxDurationSeconds() <= 0) {
      throw ApiException.badRequest("max_duration_seconds must be positive");
    }
    if (spec.inactivityDurationSeconds() != null && spec.inactivityDurationSeconds() <= 0) {
      throw ApiException.badRequest("inactivity_duration_seconds must be positive");
    }
    for (String variable : spec.files().keySet()) {
      if (!FILE_VARIABLE.matcher(variable).matches()) {
        throw ApiException.badRequest(
            "files: '" + variable + "' is not an environment variable name (A-Z, 0-9, _)");
      }
    }
    if (spec.gpuIndices().stream().anyMatch(index -> index < 0)) {
      throw ApiException.badRequest("gpu_indices must not be negative");
    }
  }
}
