package dev.bosun.agent;

import dev.bosun.api.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The files of one job under {@code DATA_DIR/jobs/<jobId>/}: {@code job.json} (its {@link
 * JobRecord}), {@code script} (its commands), {@code output} (raw stdout and stderr), {@code log}
 * (timestamped lines), {@code log.offset} (how far the log pump got), {@code exit_code} (written by
 * the wrapper), {@code files/} (files the server gave it) and {@code workdir/}.
 */
record JobDirectory(Path root) {
  Path record() {
    return root.resolve("job.json");
  }

  Path script() {
    return root.resolve("script");
  }

  Path output() {
    return root.resolve("output");
  }

  Path log() {
    return root.resolve("log");
  }

  Path logCheckpoint() {
    return root.resolve("log.offset");
  }

  Path exitCode() {
    return root.resolve("exit_code");
  }

  Path workdir() {
    return root.resolve("workdir");
  }

  /** A file the server gave the job (e.g. its MPI host file), named after its variable. */
  Path file(String variable) {
    return root.resolve("files").resolve(variable.toLowerCase(java.util.Locale.ROOT));
  }

  /** Writes the job's files (content by environment variable) where {@link #file} says. */
  void writeFiles(java.util.Map<String, String> files) throws IOException {
    for (java.util.Map.Entry<String, String> file : files.entrySet()) {
      Path path = file(file.getKey());
      Files.createDirectories(path.getParent());
      Files.writeString(path, file.getValue(), java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  JobRecord readRecord() throws IOException {
    return Json.mapper().readValue(record().toFile(), JobRecord.class);
  }

  void writeRecord(JobRecord record) throws IOException {
    AtomicFileWriter.write(record(), Json.mapper().writeValueAsBytes(record), false);
  }

  /**
   * The exit status the wrapper wrote, or null when there is none. The wrapper writes the file just
   * before it ends and the agent reads it only after, so an empty or malformed file means the
   * wrapper was killed while writing.
   */
  Integer readExitCode() throws IOException {
    String text;
    try {
      text = Files.readString(exitCode(), StandardCharsets.US_ASCII).strip();
    } catch (NoSuchFileException e) {
      return null;
    }
    try {
      return text.isEmpty() ? null : Integer.valueOf(text);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** Removes the job's directory and everything in it. */
  void delete() throws java.io.IOException {
    if (!java.nio.file.Files.exists(root)) {
      return;
    }
    try (var paths = java.nio.file.Files.walk(root)) {
      for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        java.nio.file.Files.deleteIfExists(path);
      }
    }
  }
}
