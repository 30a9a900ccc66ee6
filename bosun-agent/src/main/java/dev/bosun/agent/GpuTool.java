package dev.bosun.agent;

import dev.bosun.model.host.GpuDevice;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a vendor's GPU query tool ({@code nvidia-smi}, {@code amd-smi}) at agent start. A tool that
 * cannot be run, hangs, fails or answers what does not parse means no GPUs of that vendor, with a
 * warning; it never stops the agent.
 */
final class GpuTool {
  private static final Logger LOG = LoggerFactory.getLogger(GpuTool.class);
  private static final long TIMEOUT_SECONDS = 15;
  private static final int MAX_OUTPUT = 1 << 20;

  /** Asks a tool for its GPUs, running it as often as it needs. */
  @FunctionalInterface
  interface Query {
    /**
     * @throws IOException when the tool cannot be run or fails
     * @throws IllegalArgumentException when its answer does not parse
     */
    List<GpuDevice> gpus(Path executable) throws IOException;
  }

  private GpuTool() {}

  /** The GPUs {@code query} finds with {@code executable}; none, with a warning, on any failure. */
  static List<GpuDevice> detect(Path executable, String vendor, Query query) {
    try {
      List<GpuDevice> gpus = query.gpus(executable);
      LOG.info("detected {} {} GPU(s) with {}", gpus.size(), vendor, executable);
      return gpus;
    } catch (IOException e) {
      LOG.warn("{} {}; assuming no {} GPUs", executable, e.getMessage(), vendor);
    } catch (IllegalArgumentException e) {
      LOG.warn(
          "cannot understand the output of {}: {}; assuming no {} GPUs",
          executable,
          e.getMessage(),
          vendor);
    }
    return List.of();
  }

  /**
   * The standard output of {@code executable} run with {@code arguments}, with no input. Standard
   * error is kept apart, so that warnings there do not spoil a machine-readable answer.
   *
   * @throws IOException when it cannot be started, does not finish in time or exits with a status
   *     other than 0; the message says which, as a predicate of the executable
   */
  static String run(Path executable, List<String> arguments) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(executable.toString());
    command.addAll(arguments);
    Process process;
    try {
      process =
          new ProcessBuilder(command)
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
              .start();
    } catch (IOException e) {
      throw new IOException("cannot be run: " + e, e);
    }
    FutureTask<byte[]> out = drain(process.getInputStream());
    FutureTask<byte[]> err = drain(process.getErrorStream());
    try {
      if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IOException("did not finish in " + TIMEOUT_SECONDS + " s");
      }
      String stdout = text(out);
      String stderr = text(err);
      if (process.exitValue() != 0) {
        String reason = firstLine(stderr.isBlank() ? stdout : stderr);
        throw new IOException(
            "exited with status " + process.exitValue() + (reason.isEmpty() ? "" : ": " + reason));
      }
      return stdout;
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("was interrupted");
    }
  }

  /** Reads {@code in} to its end, at most {@link #MAX_OUTPUT} bytes, on a virtual thread. */
  private static FutureTask<byte[]> drain(InputStream in) {
    FutureTask<byte[]> task =
        new FutureTask<>(
            () -> {
              try (in) {
                return in.readNBytes(MAX_OUTPUT);
              }
            });
    Thread.ofVirtual().name("gpu-tool-output").start(task);
    return task;
  }

  private static String text(FutureTask<byte[]> output) throws IOException, InterruptedException {
    try {
      return new String(output.get(TIMEOUT_SECONDS, TimeUnit.SECONDS), StandardCharsets.UTF_8);
    } catch (ExecutionException e) {
      throw new IOException("gave output that cannot be read: " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new IOException("exited but its output did not end");
    }
  }

  private static String firstLine(String text) {
    String stripped = text.strip();
    int newline = stripped.indexOf('\n');
    return newline < 0 ? stripped : stripped.substring(0, newline);
  }
}
