package dev.bosun.server.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReplicaForwarderTest {
  @Test
  void aBosunTokenIsKnownHoweverTheHeaderIsSpaced() {
    assertThat(ReplicaForwarder.isBosunToken("Bearer bsn_abc")).isTrue();
    assertThat(ReplicaForwarder.isBosunToken("bearer   bsn_abc")).isTrue();
    assertThat(ReplicaForwarder.isBosunToken("BEARER\tbsn_abc ")).isTrue();
  }

  @Test
  void otherCredentialsAreTheReplicasOwn() {
    assertThat(ReplicaForwarder.isBosunToken(null)).isFalse();
    assertThat(ReplicaForwarder.isBosunToken("Bearer sk-123")).isFalse();
    assertThat(ReplicaForwarder.isBosunToken("Basic YnNuXzpw")).isFalse();
    assertThat(ReplicaForwarder.isBosunToken("Bearerbsn")).isFalse();
  }
}
