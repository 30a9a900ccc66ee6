package dev.bosun.agent.docker;

import java.util.List;

/**
 * An image that is present on the Docker host ({@code GET /images/{name}/json}).
 *
 * @param id the image id, {@code sha256:...}
 * @param repoTags the references that name it, e.g. {@code bosun-test/busybox:1}
 * @param sizeBytes its size on disk
 */
public record ImageInfo(String id, List<String> repoTags, long sizeBytes) {
  public ImageInfo {
    repoTags = List.copyOf(repoTags);
  }
}
