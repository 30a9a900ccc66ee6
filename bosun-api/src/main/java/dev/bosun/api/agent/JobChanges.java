package dev.bosun.api.agent;

import java.util.List;

/**
 * Answer to a long poll for job changes.
 *
 * @param bootId the agent's boot id; when it differs from the one the caller last saw, the caller
 *     must re-read all jobs ({@code after=0})
 * @param jobs jobs changed since the requested version, oldest change first
 * @param cursor the highest version included (pass it as {@code after} next time)
 */
public record JobChanges(String bootId, List<JobState> jobs, long cursor) {
  public JobChanges {
    jobs = List.copyOf(jobs);
  }
}
