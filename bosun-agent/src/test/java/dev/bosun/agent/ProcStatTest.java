package dev.bosun.agent;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProcStatTest {
  @Test
  void parsesFieldsAfterACommandNameWithSpacesAndParentheses() {
    String stat =
        "4242 (my (odd) cmd) S 1 4242 4242 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 987654 1000 10";

    ProcStat parsed = ProcStat.parse(4242, stat).orElseThrow();

    assertThat(parsed.state()).isEqualTo('S');
    assertThat(parsed.processGroup()).isEqualTo(4242);
    assertThat(parsed.session()).isEqualTo(4242);
    assertThat(parsed.startTicks()).isEqualTo(987654);
    assertThat(parsed.isRunning()).isTrue();
  }

  @Test
  void readsThisProcess() {
    ProcStat self = ProcStat.read(ProcessHandle.current().pid()).orElseThrow();

    assertThat(self.isRunning()).isTrue();
    assertThat(ProcStat.read(ProcessHandle.current().pid()).orElseThrow().startTicks())
        .isEqualTo(self.startTicks());
  }
}
