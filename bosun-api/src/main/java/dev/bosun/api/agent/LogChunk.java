package dev.bosun.api.agent;

/**
 * A piece of a job's durable log. The log is UTF-8 text, one line per output line: {@code <ISO-8601
 * instant> <text>\n}.
 *
 * @param data whole lines starting at the requested offset
 * @param nextOffset the byte offset to ask for next
 * @param eof true when the job has finished and nothing follows
 */
public record LogChunk(String data, long nextOffset, boolean eof) {}
