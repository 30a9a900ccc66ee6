package dev.bosun.agent.docker;

/**
 * Receives a container's output as {@link DockerClient#logs} reads it. Without a terminal, stdout
 * and stderr come apart; with one, everything is {@link Stream#STDOUT}. The bytes are only valid
 * during the call.
 */
@FunctionalInterface
public interface LogSink {
  /** Which of the container's streams bytes came from. */
  enum Stream {
    STDIN,
    STDOUT,
    STDERR
  }

  /** Output from {@code stream}: {@code length} bytes of {@code data} from {@code offset}. */
  void write(Stream stream, byte[] data, int offset, int length);
}
