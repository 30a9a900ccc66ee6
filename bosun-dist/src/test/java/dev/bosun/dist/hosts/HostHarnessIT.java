package dev.bosun.dist.hosts;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The SSH test hosts themselves, checked with the real OpenSSH client: names, GPUs, sudo, separate
 * state, cutting a host off and back, and a clean teardown.
 */
class HostHarnessIT {
  private static final String QUERY =
      "nvidia-smi --query-gpu=index,uuid,name,memory.total,driver_version"
          + " --format=csv,noheader,nounits";

  @Test
  void threeHostsWithRealSshd() throws Exception {
    TestHosts hosts = TestHosts.builder().hosts(3).start();
    Path state = hosts.stateDir();
    List<TestHosts.Host> all = hosts.hosts();
    System.out.printf(
        "test-hosts: up 3 took %d ms (script's own measure %d ms)%n",
        hosts.upTime().toMillis(), hosts.scriptUpTime().toMillis());
    try (hosts) {
      assertThat(all)
          .extracting(TestHosts.Host::ip)
          .containsExactly("10.77.0.11", "10.77.0.12", "10.77.0.13");

      // Own hostname per host, and a login as root with the same key.
      for (TestHosts.Host h : all) {
        TestHosts.Result r = hosts.ssh(h.index(), "hostname");
        assertThat(r.ok()).as("%s", r).isTrue();
        assertThat(r.out().strip()).isEqualTo(h.name());
      }
      assertThat(all).extracting(TestHosts.Host::name).doesNotHaveDuplicates();
      TestHosts.Result root = hosts.ssh("root", 1, "id -u; echo $HOME");
      assertThat(root.lines()).as("%s", root).containsExactly("0", "/root");

      // GPUs: 8×H100 80GB, 4×A100 40GB, no nvidia-smi at all.
      TestHosts.Result h1 = hosts.ssh(1, QUERY);
      assertThat(h1.ok()).as("%s", h1).isTrue();
      assertThat(h1.lines()).hasSize(8);
      assertThat(h1.lines())
          .allMatch(
              l -> l.matches("\\d, GPU-[0-9a-f-]{36}, NVIDIA H100 80GB HBM3, 81559, [\\d.]+"));
      assertThat(h1.lines().stream().map(l -> l.split(", ")[1]).distinct()).hasSize(8);
      TestHosts.Result h2 = hosts.ssh(2, QUERY);
      assertThat(h2.ok()).as("%s", h2).isTrue();
      assertThat(h2.lines()).hasSize(4);
      assertThat(h2.lines())
          .allMatch(
              l -> l.matches("\\d, GPU-[0-9a-f-]{36}, NVIDIA A100-SXM4-40GB, 40960, [\\d.]+"));
      TestHosts.Result h3 = hosts.ssh(3, QUERY);
      assertThat(h3.exitCode()).as("%s", h3).isEqualTo(127);
      assertThat(hosts.ssh(3, "command -v nvidia-smi").exitCode()).isEqualTo(1);
      assertThat(hosts.ssh(1, "nvidia-smi -L").lines())
          .hasSize(8)
          .allMatch(l -> l.startsWith("GPU "));
      assertThat(hosts.ssh(2, "nvidia-smi").out()).contains("NVIDIA A100-SXM4-40GB", "40960MiB");

      // Passwordless sudo for bosun-test, none for bosun-nosudo; Java >= 21 as plain `java`.
      for (TestHosts.Host h : all) {
        TestHosts.Result sudo = hosts.ssh(h.index(), "sudo -n true");
        assertThat(sudo.ok()).as("sudo on %s: %s", h.name(), sudo).isTrue();
      }
      assertThat(hosts.ssh(hosts.noSudoUser(), 1, "sudo -n true").ok()).isFalse();
      TestHosts.Result java = hosts.ssh(1, "java -version");
      Matcher version = Pattern.compile("version \"(\\d+)").matcher(java.err());
      assertThat(version.find()).as("%s", java).isTrue();
      assertThat(Integer.parseInt(version.group(1))).isGreaterThanOrEqualTo(21);

      // Separate agent data dirs, homes and /tmp: written on h1, absent on h2 and on this machine.
      TestHosts.Result write =
          hosts.ssh(
              1,
              "sudo mkdir -p /var/lib/bosun-agent && echo h1 | sudo tee /var/lib/bosun-agent/marker"
                  + " >/dev/null && touch ~/home-marker /tmp/tmp-marker");
      assertThat(write.ok()).as("%s", write).isTrue();
      assertThat(hosts.ssh(1, "cat /var/lib/bosun-agent/marker").out().strip()).isEqualTo("h1");
      assertThat(hosts.host(1).agentDir().resolve("marker")).hasContent("h1");
      TestHosts.Result absent =
          hosts.ssh(
              2,
              "test ! -e /var/lib/bosun-agent/marker && test ! -e ~/home-marker"
                  + " && test ! -e /tmp/tmp-marker");
      assertThat(absent.ok()).as("%s", absent).isTrue();
      assertThat(Path.of("/var/lib/bosun-agent/marker")).doesNotExist();
      assertThat(hosts.host(1).userHome().resolve("home-marker")).exists();

      // Cut host 2 off: a new connection times out (ConnectTimeout=3); the others still answer.
      hosts.cut(2);
      long t0 = System.nanoTime();
      TestHosts.Result cut = hosts.ssh(hosts.user(), 2, "true", 3);
      Duration took = Duration.ofNanos(System.nanoTime() - t0);
      System.out.printf("test-hosts: ssh to the cut host failed after %d ms%n", took.toMillis());
      assertThat(cut.exitCode()).as("%s", cut).isEqualTo(255);
      assertThat(cut.err()).containsIgnoringCase("timed out");
      assertThat(took).isBetween(Duration.ofMillis(2500), Duration.ofSeconds(8));
      assertThat(hosts.ssh(1, "true").ok()).isTrue();
      hosts.restore(2);
      TestHosts.Result back = hosts.ssh(hosts.user(), 2, "hostname", 5);
      assertThat(back.ok()).as("%s", back).isTrue();
      assertThat(back.out().strip()).isEqualTo(hosts.host(2).name());
    }

    // Nothing left: namespaces, links, sshd processes, state directory.
    TestHosts.Result netns = TestHosts.run(List.of("ip", "netns", "list"), Duration.ofSeconds(10));
    assertThat(netns.out()).doesNotContain(hosts.prefix() + "-h");
    TestHosts.Result links = TestHosts.run(List.of("ip", "-o", "link"), Duration.ofSeconds(10));
    assertThat(links.out()).doesNotContain(hosts.prefix() + "-br", hosts.prefix() + "-v");
    for (TestHosts.Host h : all) {
      assertThat(ProcessHandle.of(h.sshdPid()).filter(ProcessHandle::isAlive))
          .as("sshd of %s", h.name())
          .isEmpty();
    }
    assertThat(
            ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().orElse("").contains(state + "/h"))
                .filter(ProcessHandle::isAlive)
                .map(p -> p.pid() + " " + p.info().commandLine().orElse("")))
        .isEmpty();
    assertThat(Files.exists(state)).isFalse();
  }
}
