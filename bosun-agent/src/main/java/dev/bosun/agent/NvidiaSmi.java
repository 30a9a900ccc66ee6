package dev.bosun.agent;

import dev.bosun.model.host.GpuDevice;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * NVIDIA GPUs as {@code nvidia-smi --query-gpu=index,uuid,name,memory.total,driver_version
 * --format=csv,noheader,nounits} lists them, e.g. {@code 0, GPU-3f1c..., NVIDIA H100 80GB HBM3,
 * 81559, 550.54.15}. A failing {@code nvidia-smi} or output that does not parse means no GPUs, with
 * a warning; it never stops the agent.
 */
final class NvidiaSmi {
  static final List<String> QUERY =
      List.of(
          "--query-gpu=index,uuid,name,memory.total,driver_version",
          "--format=csv,noheader,nounits");

  private NvidiaSmi() {}

  /** Runs {@code executable} and parses its answer. */
  static List<GpuDevice> detect(Path executable) {
    return GpuTool.detect(executable, "NVIDIA", nvidiaSmi -> parse(GpuTool.run(nvidiaSmi, QUERY)));
  }

  /**
   * Parses the CSV; blank lines are skipped.
   *
   * @throws IllegalArgumentException when a line is not a GPU line
   */
  static List<GpuDevice> parse(String csv) {
    List<GpuDevice> gpus = new ArrayList<>();
    for (String line : csv.split("\\R")) {
      if (line.isBlank()) {
        continue;
      }
      String[] fields = line.split(",");
      if (fields.length != 5) {
        throw new IllegalArgumentException(
            "expected 5 comma-separated fields, got: " + line.strip());
      }
      try {
        int index = Integer.parseInt(fields[0].strip());
        String uuid = fields[1].strip();
        String name = fields[2].strip();
        long memoryMb = Long.parseLong(fields[3].strip());
        String driver = fields[4].strip();
        if (uuid.isEmpty() || name.isEmpty() || index < 0 || memoryMb < 0) {
          throw new IllegalArgumentException("incomplete GPU line: " + line.strip());
        }
        if (name.startsWith("NVIDIA ")) {
          name = name.substring("NVIDIA ".length()).strip();
        }
        gpus.add(new GpuDevice(index, uuid, "nvidia", name, memoryMb, driver));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("not a GPU line: " + line.strip());
      }
    }
    return List.copyOf(gpus);
  }
}
