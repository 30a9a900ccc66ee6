package dev.bosun.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bosun.agent.docker.LogSink;
import dev.bosun.agent.docker.PullProgress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Container output into the job's output file: timestamps off, nothing twice across restarts. */
class ContainerLogTest {
  @TempDir Path temp;

  private static void write(ContainerLog log, LogSink.Stream stream, String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    log.write(stream, bytes, 0, bytes.length);
  }

  @Test
  void timestampsAreStrippedLinesSplitAnywhereAreJoinedAndAResumeSkipsWhatWasWritten()
      throws Exception {
    JobDirectory directory = new JobDirectory(Files.createDirectories(temp.resolve("job")));
    try (ContainerLog log = new ContainerLog(directory, null)) {
      write(log, LogSink.Stream.STDOUT, "2026-11-27T10:00:00.000000001Z first\n2026-11-27T10:00:0");
      write(log, LogSink.Stream.STDERR, "2026-11-27T10:00:00.500000000Z on stderr\n");
      write(log, LogSink.Stream.STDOUT, "1.000000000Z second\n2026-11-27T10:00:02.000000000Z cut");
    } // closed mid-line, as when the agent stops: the partial line is left for the next agent
    assertThat(Files.readString(directory.output())).isEqualTo("first\non stderr\nsecond\n");
    Instant since = ContainerLog.lastTimestamp(directory);
    assertThat(since).isEqualTo(Instant.parse("2026-11-27T10:00:01Z"));

    try (ContainerLog log = new ContainerLog(directory, since)) {
      // Docker's since is coarse: it sends the last line again, which is skipped.
      write(log, LogSink.Stream.STDOUT, "2026-11-27T10:00:01.000000000Z second\n");
      write(log, LogSink.Stream.STDOUT, "2026-11-27T10:00:02.000000000Z cut short\n");
      write(log, LogSink.Stream.STDOUT, "2026-11-27T10:00:03.000000000Z no newline at the end");
      log.complete();
    }
    assertThat(Files.readString(directory.output()))
        .isEqualTo("first\non stderr\nsecond\ncut short\nno newline at the end\n");
  }

  @Test
  void pullProgressIsSummedOverLayers() {
    PullMeter meter = new PullMeter();
    meter.add(new PullProgress("Pulling from library/python", "3.12", 0, 0));
    meter.add(new PullProgress("Pulling fs layer", "a", 0, 0));
    meter.add(new PullProgress("Pulling fs layer", "b", 0, 0));
    meter.add(new PullProgress("Downloading", "a", 512L << 20, 1024L << 20));
    meter.add(new PullProgress("Downloading", "b", 0, 1024L << 20));
    meter.add(new PullProgress("Pull complete", "a", 0, 0));
    assertThat(meter.describe()).isEqualTo("1/2 layers, 1GB of 2GB");
  }
}
