package dev.bosun.api;

import java.time.Instant;
import java.util.List;

/**
 * A run, as the API shows it.
 *
 * @param status lower-case run status ({@code pending}, {@code running}, {@code done}, …)
 * @param terminationReason lower-case termination reason once finished
 * @param reasonText the termination reason or the wait reason in words
 * @param exitStatus the exit status of the last job's command, if it ran to an end
 * @param estimatedStart for a pending run, when it is expected to start, if known
 * @param queuePosition for a pending run, its place among the project's waiting runs in the order
 *     the scheduler takes them (1 is next), if known
 */
public record RunInfo(
    String id,
    String project,
    String name,
    String user,
    String type,
    String status,
    String terminationReason,
    String reasonText,
    Integer exitStatus,
    int priority,
    String resources,
    List<String> ports,
    Instant submittedAt,
    Instant startedAt,
    Instant finishedAt,
    Instant estimatedStart,
    List<JobInfo> jobs,
    Integer queuePosition) {}
