package dev.bosun.api;

/**
 * A piece of a run's log (its latest job).
 *
 * @param data whole lines, each {@code <ISO-8601 instant> <text>\n}
 * @param nextOffset the offset to ask for next
 * @param eof true when the run has finished and nothing follows
 * @param jobId the job these lines belong to (changes when a run is retried)
 */
public record RunLogs(String data, long nextOffset, boolean eof, String jobId) {}
