package dev.bosun.agent;

import dev.bosun.model.host.GpuDevice;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * NVIDIA GPUs as {@code nvidia-smi
 * --query-gpu=index,uuid,name,memory.total,driver_version,compute_cap
 * --format=csv,noheader,nounits} lists them, e.g. {@code 0, GPU-3f1c..., NVIDIA H100 80GB HBM3,
 * 81559, 550.54.15, 9.0}; drivers older than 510 do not know {@code compute_cap}, so a failing
 * query is asked again without it. A failing {@code nvidia-smi} or output that does not parse means
 * no GPUs, with a warning; it never stops the agent.
 */
final class NvidiaSmi {
  static final List<String> QUERY =
      List.of(
          "--query-gpu=index,uuid,name,memory.total,driver_version,compute_cap",
          "--format=csv,noheader,nounits");
  static final List<String> OLD_DRIVER_QUERY =
      List.of(
          "--query-gpu=index,uuid,name,memory.total,driver_version",
          "--format=csv,noheader,nounits");

  private NvidiaSmi() {}

  /** Runs {@code executable} and parses its answer. */
  static List<GpuDevice> detect(Path executable) {
    return GpuTool.detect(
        executable,
        "NVIDIA",
        nvidiaSmi -> {
          String answer;
          try {
            answer = GpuTool.run(nvidiaSmi, QUERY);
          } catch (java.io.IOException e) {
            answer = GpuTool.run(nvidiaSmi, OLD_DRIVER_QUERY); // no compute_cap before 510
          }
          return parse(answer);
        });
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
      if (fields.length != 5 && fields.length != 6) {
        throw new IllegalArgumentException(
            "expected 5 or 6 comma-separated fields, got: " + line.strip());
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
        String computeCapability = fields.length == 6 ? fields[5].strip() : null;
        if (computeCapability != null && !computeCapability.matches("\\d{1,3}\\.\\d{1,3}")) {
          computeCapability = null; // [N/A] and the like
        }
        gpus.add(new GpuDevice(index, uuid, "nvidia", name, memoryMb, driver, computeCapability));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("not a GPU line: " + line.strip());
      }
    }
    return List.copyOf(gpus);
  }
}
