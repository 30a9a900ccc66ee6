package dev.bosun.agent.docker;

import java.util.List;
import java.util.Map;

/**
 * One container in a listing ({@code GET /containers/json}).
 *
 * @param id the full container id
 * @param names its names, without Docker's leading {@code /}
 * @param image the image reference it was created from
 * @param state {@code created}, {@code running}, {@code exited}, ...
 * @param status Docker's words for it, e.g. {@code Exited (3) 2 seconds ago}
 * @param labels its labels
 */
public record ContainerSummary(
    String id,
    List<String> names,
    String image,
    String state,
    String status,
    Map<String, String> labels) {

  public ContainerSummary {
    names = List.copyOf(names);
    labels = Map.copyOf(labels);
  }
}
