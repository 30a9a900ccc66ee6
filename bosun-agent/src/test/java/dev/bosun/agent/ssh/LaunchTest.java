package dev.bosun.agent.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The command lines sessions run, without running them. */
class LaunchTest {
  private static final ContainerEntry ENTRY =
      new ContainerEntry(
          "j1",
          4242,
          Map.of("PATH", "/usr/bin", "QUOTE", "it's", "bad.name", "x", "LD_PRELOAD", "/lib/x.so"),
          1000,
          100,
          "/workflow",
          "10.79.1.2",
          "/bin/sh",
          "/bin/bash",
          List.of(Path.of("/sys/fs/cgroup/memory/docker/abc/cgroup.procs")));

  @Test
  void aContainerCommandEntersTheNamespacesWithACleanHostEnvironment() throws Exception {
    Launch launch = Launch.container(ENTRY, "echo hi", Map.of("LANG", "C.UTF-8"), null);

    assertThat(launch.env()).containsOnlyKeys("PATH", "SHELL");
    assertThat(launch.command().subList(0, 2)).containsExactly("/bin/sh", "-c");
    String host = launch.command().get(2);
    assertThat(host)
        .startsWith(
            "for f in '/sys/fs/cgroup/memory/docker/abc/cgroup.procs' ; do echo $$ > \"$f\"; done")
        .contains("'--target' '4242' '--mount' '--uts' '--ipc' '--net' '--pid'")
        .contains("'--setgid' '100' '--setuid' '1000' '--' '/bin/sh' '-c'")
        .contains("export QUOTE=")
        .contains("export LD_PRELOAD=")
        .contains("export LANG=")
        .doesNotContain("bad.name")
        .contains("cd '\\''/workflow'\\'' 2>/dev/null || cd /")
        .contains("exec '\\''/bin/sh'\\'' -c '\\''echo hi'\\''");
  }

  @Test
  void aTerminalRunsUnderScriptWithTheRequestedSize() throws Exception {
    Launch shell = Launch.container(ENTRY, null, Map.of(), new Launch.Pty("xterm", 120, 40));
    SshJob.ProcessJob job =
        new SshJob.ProcessJob("j2", Map.of("A", "1"), Path.of("/"), Path.of("/bin/bash"));
    Launch process = Launch.process(job, null, Map.of("B", "2"), new Launch.Pty("vt100", 0, 0));

    assertThat(shell.command().getFirst()).endsWith("/script");
    assertThat(shell.command().subList(1, 2)).containsExactly("-qfec");
    assertThat(shell.command().get(2)).startsWith("stty rows 40 cols 120 2>/dev/null; for f in");
    assertThat(shell.command().get(2))
        .contains("export TERM=")
        .contains("exec '\\''/bin/bash'\\'' -l");
    assertThat(process.command().get(2)).isEqualTo("exec '/bin/bash' '-l'");
    assertThat(process.env())
        .containsEntry("A", "1")
        .containsEntry("B", "2")
        .containsEntry("TERM", "vt100")
        .containsEntry("SHELL", "/bin/bash");
  }

  @Test
  void quotingSurvivesQuotes() {
    assertThat(Launch.quote("it's")).isEqualTo("'it'\\''s'");
    assertThat(Launch.quote(List.of("a b", "$x"))).isEqualTo("'a b' '$x'");
  }

  @Test
  void theClientsEnvironmentLosesWhatMinaAddsAndTheTerminalSize() {
    assertThat(
            Launch.clientEnv(
                Map.of("USER", "j1", "COLUMNS", "80", "LINES", "24", "TERM", "x", "LANG", "C")))
        .containsExactly(Map.entry("LANG", "C"));
  }

  @Test
  void theWorkingDirectoryOfAContainerSession() {
    assertThat(ContainerEntry.workingDir("", null)).isEqualTo("/");
    assertThat(ContainerEntry.workingDir("/app", null)).isEqualTo("/app");
    assertThat(ContainerEntry.workingDir("/app", "src/../run")).isEqualTo("/app/run");
    assertThat(ContainerEntry.workingDir("/app", "/workflow")).isEqualTo("/workflow");
  }
}
