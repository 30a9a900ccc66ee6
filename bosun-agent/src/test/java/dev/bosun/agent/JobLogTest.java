package dev.bosun.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bosun.api.agent.LogChunk;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The log pump on its own, with a clock the test moves. */
class JobLogTest {
  @TempDir Path root;
  JobDirectory directory;
  Instant now = Instant.parse("2025-03-01T10:00:00.123456Z");
  final InstantSource clock = () -> now;

  @BeforeEach
  void createFiles() throws Exception {
    directory = new JobDirectory(root);
    Files.write(directory.output(), new byte[0]);
  }

  @Test
  void completeLinesGetTheTimeTheyWereRead() throws Exception {
    JobLog log = JobLog.empty(directory, clock);
    print("hello\nwor");

    log.pump();

    assertThat(Files.readString(directory.log())).isEqualTo("2025-03-01T10:00:00.123Z hello\n");
  }

  @Test
  void partialLineWaitsASecondAndIsCutAtACharacterBoundary() throws Exception {
    JobLog log = JobLog.empty(directory, clock);
    byte[] check = "✓".getBytes(StandardCharsets.UTF_8);
    print("50% ");
    print(Arrays.copyOf(check, 2));
    log.pump();
    assertThat(logText()).isEmpty();

    now = now.plusSeconds(1);
    log.pump();
    assertThat(logText()).isEqualTo("2025-03-01T10:00:01.123Z 50% \n");

    print(new byte[] {check[2], '\n'});
    log.pump();
    assertThat(logText()).endsWith(" ✓\n");
  }

  @Test
  void drainFlushesTheLastPartialLine() throws Exception {
    JobLog log = JobLog.empty(directory, clock);
    print("a\nlast words");

    log.drain();
    log.seal();

    assertThat(TestAgent.texts(logText())).containsExactly("a", "last words");
    LogChunk chunk = log.read(0, 1 << 20, Duration.ZERO);
    assertThat(chunk.eof()).isTrue();
    assertThat(chunk.nextOffset()).isEqualTo(Files.size(directory.log()));
  }

  @Test
  void veryLongLinesAreSplit() throws Exception {
    JobLog log = JobLog.empty(directory, clock);
    print("x".repeat(JobLog.MAX_LINE_BYTES + 10) + "\n");

    log.pump();

    assertThat(TestAgent.texts(logText()))
        .extracting(String::length)
        .containsExactly(JobLog.MAX_LINE_BYTES, 10);
  }

  @Test
  void resumeAfterACrashNeitherLosesNorRepeatsLines() throws Exception {
    JobLog log = JobLog.empty(directory, clock);
    print("one\ntwo\n");
    log.pump();
    // a crash after appending to the log but before the checkpoint: the log holds more than the
    // checkpoint says
    print("three\n");
    Files.writeString(
        directory.log(), "2025-03-01T10:00:00.123Z three\n", StandardOpenOption.APPEND);
    print("four\n");

    JobLog resumed = JobLog.resume(directory, clock);
    resumed.drain();

    assertThat(TestAgent.texts(logText())).containsExactly("one", "two", "three", "four");
  }

  @Test
  void readWaitsForALineAndAnswersWithoutOneWhenTheWaitEnds() throws Exception {
    JobLog log = JobLog.empty(directory, clock);
    Thread.ofVirtual()
        .start(
            () -> {
              try {
                Thread.sleep(200);
                print("later\n");
                log.pump();
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });

    LogChunk chunk = log.read(0, 1 << 20, Duration.ofSeconds(10));
    LogChunk nothing = log.read(chunk.nextOffset(), 1 << 20, Duration.ofMillis(50));

    assertThat(TestAgent.texts(chunk.data())).containsExactly("later");
    assertThat(chunk.eof()).isFalse();
    assertThat(nothing.data()).isEmpty();
    assertThat(nothing.nextOffset()).isEqualTo(chunk.nextOffset());
    assertThat(nothing.eof()).isFalse();
  }

  @Test
  void utf8BoundaryNeverSplitsACharacter() {
    byte[] bytes = "a✓".getBytes(StandardCharsets.UTF_8);

    assertThat(JobLog.utf8Boundary(bytes, 0, 4)).isEqualTo(4);
    assertThat(JobLog.utf8Boundary(bytes, 0, 3)).isEqualTo(1);
    assertThat(JobLog.utf8Boundary(bytes, 0, 2)).isEqualTo(1);
    assertThat(JobLog.utf8Boundary(bytes, 0, 1)).isEqualTo(1);
  }

  private void print(String text) throws Exception {
    print(text.getBytes(StandardCharsets.UTF_8));
  }

  private void print(byte[] bytes) throws Exception {
    Files.write(directory.output(), bytes, StandardOpenOption.APPEND);
  }

  private String logText() throws Exception {
    return Files.exists(directory.log()) ? Files.readString(directory.log()) : "";
  }
}
