package dev.bosun.server.runs;

import dev.bosun.api.agent.AgentClient;
import dev.bosun.api.agent.AgentException;
import dev.bosun.api.agent.AgentRequestException;
import dev.bosun.api.agent.LogChunk;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * Job logs copied to the server before the host that kept them leaves its fleet, so that {@code
 * bosun logs} still shows them. One file per job under the server's home ({@code logs/<job
 * id>.log}, the agent's format), written to a temporary file and moved into place, so a file that
 * exists is whole.
 */
public final class LogArchive {
  private static final Pattern JOB_ID = Pattern.compile("[A-Za-z0-9-]{1,64}");
  private static final int CHUNK = 1 << 20;

  private final Path dir;

  public LogArchive(Path dir) {
    this.dir = dir;
  }

  public boolean has(String jobId) {
    return JOB_ID.matcher(jobId).matches() && Files.isRegularFile(file(jobId));
  }

  /** Whole lines from byte {@code offset}, at most about {@code limit} bytes; ended at the end. */
  public LogChunk read(String jobId, long offset, int limit) {
    Path file = file(jobId);
    try (InputStream in = Files.newInputStream(file)) {
      long size = Files.size(file);
      if (offset >= size) {
        return new LogChunk("", size, true);
      }
      in.skipNBytes(offset);
      byte[] bytes = in.readNBytes((int) Math.min(limit, size - offset));
      int end = bytes.length;
      if (offset + end < size) {
        while (end > 0 && bytes[end - 1] != '\n') {
          end--; // whole lines only
        }
        if (end == 0) {
          end = bytes.length; // one line longer than the limit: give it in pieces
        }
      }
      return new LogChunk(new String(bytes, 0, end, StandardCharsets.UTF_8), offset + end, false);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the archived log of job " + jobId, e);
    }
  }

  /**
   * Copies a job's whole log from its agent; a job the agent never had (404) is skipped. Returns
   * whether a log was archived.
   */
  public boolean archive(String jobId, AgentClient agent) throws AgentException, IOException {
    if (!JOB_ID.matcher(jobId).matches()) {
      return false;
    }
    Files.createDirectories(dir);
    Path partial = dir.resolve(jobId + ".log.partial");
    try (OutputStream out = Files.newOutputStream(partial)) {
      long offset = 0;
      while (true) {
        LogChunk chunk;
        try {
          chunk = agent.logs(jobId, offset, Duration.ZERO, CHUNK);
        } catch (AgentRequestException e) {
          if (e.statusCode() == 404) {
            Files.deleteIfExists(partial);
            return false;
          }
          throw e;
        }
        out.write(chunk.data().getBytes(StandardCharsets.UTF_8));
        if (chunk.data().isEmpty()) {
          break; // all of it (a job still running would have been stopped before its host left)
        }
        offset = chunk.nextOffset();
      }
    }
    Files.move(partial, file(jobId), StandardCopyOption.ATOMIC_MOVE);
    return true;
  }

  private Path file(String jobId) {
    return dir.resolve(jobId + ".log");
  }
}
