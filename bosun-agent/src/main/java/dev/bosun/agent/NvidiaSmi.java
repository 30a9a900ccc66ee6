package dev.bosun.agent;

import dev.bosun.model.host.GpuDevice;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * NVIDIA GPUs as {@code nvidia-smi --query-gpu=index,uuid,name,memory.total,driver_version
 * --format=csv,noheader,nounits} lists them, e.g. {@code 0, GPU-3f1c..., NVIDIA H100 80GB HBM3,
 * 81559, 550.54.15}. A failing {@code nvidia-smi} or output that does not parse means no GPUs, with
 * a warning; it never stops the agent.
 */
final class NvidiaSmi {
  private static final Logger LOG = LoggerFactory.getLogger(NvidiaSmi.class);
  private static final long TIMEOUT_SECONDS = 15;
  static final List<String> QUERY =
      List.of(
          "--query-gpu=index,uuid,name,memory.total,driver_version",
          "--format=csv,noheader,nounits");

  private NvidiaSmi() {}

  /** Runs {@code executable} and parses its answer. */
  static List<GpuDevice> detect(Path executable) {
    List<String> command = new ArrayList<>();
    command.add(executable.toString());
    command.addAll(QUERY);
    Process process;
    try {
      process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
              .start();
    } catch (IOException e) {
      LOG.warn("cannot run {}: {}; assuming no NVIDIA GPUs", executable, e.toString());
      return List.of();
    }
    try (InputStream in = process.getInputStream()) {
      byte[] output = in.readNBytes(1 << 20);
      if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        LOG.warn("{} did not finish in {} s; assuming no NVIDIA GPUs", executable, TIMEOUT_SECONDS);
        return List.of();
      }
      String text = new String(output, StandardCharsets.UTF_8);
      if (process.exitValue() != 0) {
        LOG.warn(
            "{} exited with status {}: {}; assuming no NVIDIA GPUs",
            executable,
            process.exitValue(),
            firstLine(text));
        return List.of();
      }
      List<GpuDevice> gpus = parse(text);
      LOG.info("detected {} NVIDIA GPU(s) with {}", gpus.size(), executable);
      return gpus;
    } catch (IllegalArgumentException e) {
      LOG.warn(
          "cannot understand the output of {}: {}; assuming no NVIDIA GPUs",
          executable,
          e.getMessage());
      return List.of();
    } catch (IOException e) {
      LOG.warn(
          "cannot read the output of {}: {}; assuming no NVIDIA GPUs", executable, e.toString());
      return List.of();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      return List.of();
    }
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

  private static String firstLine(String text) {
    String stripped = text.strip();
    int newline = stripped.indexOf('\n');
    return newline < 0 ? stripped : stripped.substring(0, newline);
  }
}
