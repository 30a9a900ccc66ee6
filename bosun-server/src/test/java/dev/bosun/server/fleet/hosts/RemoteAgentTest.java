package dev.bosun.server.fleet.hosts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The scripts the server runs on SSH hosts. The plain-supervisor path runs in every SSH fleet test;
 * the systemd path cannot run here (no systemd as init on the test machines), so it is checked for
 * shell syntax and for a unit that never kills jobs.
 */
class RemoteAgentTest {
  @Test
  void theSystemdUnitRestartsTheSupervisorAndLeavesJobsAlone() {
    assertThat(RemoteAgent.SYSTEMD_UNIT)
        .contains("ExecStart=/bin/sh " + RemoteAgent.SUPERVISOR)
        .contains("Restart=always")
        .contains("KillMode=process")
        .contains("WantedBy=multi-user.target");
  }

  @Test
  void theStartScriptWritesTheUnitThroughAHereDocumentAndIsValidShell() throws Exception {
    assertThat(RemoteAgent.START)
        .contains("cat > " + RemoteAgent.UNIT + " <<'BOSUN_UNIT'\n[Unit]\n")
        .contains("\nBOSUN_UNIT\n")
        .contains("nohup setsid " + RemoteAgent.SUPERVISOR);
    assertValidShell(RemoteAgent.START);
    assertValidShell(RemoteAgent.REMOVE_UNIT);
    assertValidShell(RemoteAgent.supervisor("/usr/bin/java"));
  }

  private static void assertValidShell(String script) throws IOException, InterruptedException {
    Process sh = new ProcessBuilder("sh", "-n").redirectErrorStream(true).start();
    sh.getOutputStream().write(script.getBytes(StandardCharsets.UTF_8));
    sh.getOutputStream().close();
    String out = new String(sh.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(sh.waitFor()).as(out).isZero();
  }
}
