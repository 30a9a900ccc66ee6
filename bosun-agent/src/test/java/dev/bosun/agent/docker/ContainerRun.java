package dev.bosun.agent.docker;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** What a test container printed, split by stream, and how it ended. */
record ContainerRun(String id, int exitCode, String stdout, String stderr) {

  /** Creates, starts and waits for the container, then reads its whole output. */
  static ContainerRun run(DockerClient docker, ContainerSpec spec) {
    String id = docker.createContainer(spec);
    docker.startContainer(id);
    int exitCode = docker.waitContainer(id);
    Output output = Output.of(docker, id, LogOptions.written());
    return new ContainerRun(id, exitCode, output.stdout(), output.stderr());
  }

  /** A container's output so far (or until it ends, when following). */
  record Output(String stdout, String stderr) {
    static Output of(DockerClient docker, String id, LogOptions options) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      docker.logs(
          id,
          options,
          (stream, data, offset, length) ->
              (stream == LogSink.Stream.STDERR ? err : out).write(data, offset, length));
      return new Output(out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
  }
}
