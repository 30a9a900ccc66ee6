package dev.bosun.agent;

import dev.bosun.agent.docker.PullProgress;
import java.util.LinkedHashMap;
import java.util.Map;

/** Sums Docker's per-layer pull progress into one line: {@code 3/5 layers, 1.2 GB of 2.9 GB}. */
final class PullMeter {
  private final Map<String, long[]> layers = new LinkedHashMap<>();
  private final Map<String, Boolean> done = new LinkedHashMap<>();

  void add(PullProgress progress) {
    String id = progress.id();
    if (id == null || id.isEmpty() || progress.status().startsWith("Pulling from")) {
      return;
    }
    String status = progress.status();
    if (status.startsWith("Downloading") && progress.total() > 0) {
      layers.put(id, new long[] {progress.current(), progress.total()});
    }
    if (status.equals("Pull complete") || status.equals("Already exists")) {
      done.put(id, true);
      long[] known = layers.get(id);
      if (known != null) {
        known[0] = known[1];
      }
    } else {
      done.putIfAbsent(id, false);
    }
  }

  String describe() {
    long current = 0;
    long total = 0;
    for (long[] layer : layers.values()) {
      current += layer[0];
      total += layer[1];
    }
    long complete = done.values().stream().filter(Boolean::booleanValue).count();
    String bytes =
        total == 0
            ? ""
            : ", "
                + new dev.bosun.model.resources.Memory(current / (1024 * 1024))
                + " of "
                + new dev.bosun.model.resources.Memory(total / (1024 * 1024));
    return complete + "/" + done.size() + " layers" + bytes;
  }
}
