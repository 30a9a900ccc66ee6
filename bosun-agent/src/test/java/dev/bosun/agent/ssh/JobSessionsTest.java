package dev.bosun.agent.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which jobs a session may enter and where its forwarded ports go, without a server. */
class JobSessionsTest {
  private static final SshJobs JOBS =
      jobId ->
          switch (jobId) {
            case "proc" -> new SshJob.ProcessJob(jobId, Map.of(), Path.of("/"), Path.of("/bin/sh"));
            case "hostnet" -> new SshJob.ContainerJob(jobId, "c1", null, null, null, true);
            case "box" -> new SshJob.ContainerJob(jobId, "c2", null, null, null, false);
            default -> throw new JobUnavailableException("no job " + jobId + " on this agent");
          };

  @Test
  void containerJobsNeedAnAgentThatRunsAsRoot() throws Exception {
    JobSessions notRoot = new JobSessions(JOBS, null, false);

    assertThat(notRoot.job("proc")).isInstanceOf(SshJob.ProcessJob.class);
    assertThatThrownBy(() -> notRoot.job("box"))
        .isInstanceOf(JobUnavailableException.class)
        .hasMessage(
            "job box runs in a container, which this agent can enter only when it runs as root");
    assertThatThrownBy(() -> notRoot.job("gone")).hasMessage("no job gone on this agent");
    assertThat(new JobSessions(JOBS, null, true).job("box"))
        .isInstanceOf(SshJob.ContainerJob.class);
  }

  @Test
  void onlyTheJobsOwnLoopbackCanBeForwardedTo() throws Exception {
    JobSessions sessions = new JobSessions(JOBS, null, true);

    assertThat(sessions.forwardTarget("proc", "localhost", 8080))
        .isEqualTo(new JobSessions.ForwardTarget("127.0.0.1", 0, "127.0.0.1"));
    assertThat(sessions.forwardTarget("proc", "::1", 8080))
        .isEqualTo(new JobSessions.ForwardTarget("::1", 0, "::1"));
    assertThat(sessions.forwardTarget("hostnet", "127.0.0.1", 8080).address())
        .isEqualTo("127.0.0.1");
    assertThat(sessions.forwardTarget("hostnet", "127.0.0.1", 8080).relay()).isFalse();
    assertThatThrownBy(() -> sessions.forwardTarget("proc", "10.0.0.1", 80))
        .hasMessage("only ports of the job itself can be forwarded (localhost:PORT), not 10.0.0.1");
    assertThatThrownBy(() -> sessions.forwardTarget("proc", "example.com", 443))
        .isInstanceOf(JobUnavailableException.class);
    assertThatThrownBy(() -> sessions.forwardTarget("box", "localhost", 8080))
        .as("a bridge container's address comes from Docker, which this agent does not have")
        .hasMessage("this agent has no Docker client for job box");
  }
}
