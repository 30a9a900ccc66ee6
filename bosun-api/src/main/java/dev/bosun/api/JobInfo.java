package dev.bosun.api;

import java.time.Instant;
import java.util.List;

/** A job of a run, as the API shows it. Statuses and reasons are lower-case wire names. */
public record JobInfo(
    String id,
    int jobNum,
    int submissionNum,
    String status,
    String fleet,
    String instance,
    Integer cpus,
    Long memoryMb,
    List<Integer> gpus,
    Integer exitStatus,
    String terminationReason,
    String message,
    Instant submittedAt,
    Instant startedAt,
    Instant finishedAt) {}
