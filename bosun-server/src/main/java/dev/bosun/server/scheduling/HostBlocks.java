package dev.bosun.server.scheduling;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bosun.api.Json;
import dev.bosun.store.InstanceRecord;
import java.io.IOException;

/**
 * How many equal shares ({@code blocks}) an SSH host is split into, from its settings; the
 * scheduler gives each job as many whole shares as it needs.
 */
final class HostBlocks {
  private HostBlocks() {}

  /**
   * The host's share count: {@code 0} in its settings means auto (one per GPU); 1 for a whole host
   * and for a count that does not divide its GPUs.
   */
  static int count(InstanceRecord instance) {
    if (instance.hostSpec() == null || instance.resources() == null) {
      return 1;
    }
    try {
      JsonNode spec = Json.mapper().readTree(instance.hostSpec());
      int blocks = spec.path("blocks").asInt(1);
      int gpus = instance.resources().gpus().size();
      int count = blocks == 0 ? Math.max(1, gpus) : Math.max(1, blocks);
      return gpus > 0 && gpus % count != 0 ? 1 : count;
    } catch (IOException e) {
      return 1;
    }
  }
}
