package dev.bosun.agent.docker;

/**
 * One progress event of an image pull, as Docker streams them: {@code {"status":"Downloading",
 * "id":"a1b2c3","progressDetail":{"current":1024,"total":4096}}}.
 *
 * @param status what is happening, e.g. {@code Pulling fs layer}, {@code Downloading}, {@code Pull
 *     complete}, {@code Digest: sha256:...}
 * @param id the layer (or tag) the event is about, or an empty string
 * @param current bytes done so far, 0 when the event carries no numbers
 * @param total bytes expected, 0 when unknown
 */
public record PullProgress(String status, String id, long current, long total) {}
