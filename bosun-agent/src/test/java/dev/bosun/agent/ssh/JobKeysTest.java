package dev.bosun.agent.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.junit.jupiter.api.Test;

class JobKeysTest {
  private static KeyPair ed25519() throws Exception {
    return KeyUtils.generateKeyPair(KeyPairProvider.SSH_ED25519, 256);
  }

  @Test
  void authorizeReplacesTheJobsKeysAndRevokeRemovesThem() throws Exception {
    KeyPair alice = ed25519();
    KeyPair bob = KeyUtils.generateKeyPair(KeyPairProvider.SSH_RSA, 2048);
    JobKeys keys = new JobKeys();
    List<String> changed = new ArrayList<>();
    keys.onChange(changed::add);

    keys.authorize(
        "j1",
        List.of(
            PublicKeyEntry.toString(alice.getPublic()) + " alice@laptop",
            "  " + PublicKeyEntry.toString(bob.getPublic()) + "\n"));
    assertThat(keys.isAuthorized("j1", alice.getPublic())).isTrue();
    assertThat(keys.isAuthorized("j1", bob.getPublic())).isTrue();
    assertThat(keys.isAuthorized("j2", alice.getPublic())).isFalse();

    keys.authorize("j1", List.of(PublicKeyEntry.toString(bob.getPublic())));
    assertThat(keys.isAuthorized("j1", alice.getPublic())).isFalse();
    assertThat(keys.isAuthorized("j1", bob.getPublic())).isTrue();

    keys.revoke("j1");
    assertThat(keys.isAuthorized("j1", bob.getPublic())).isFalse();
    assertThat(changed).containsExactly("j1", "j1", "j1");
  }

  @Test
  void aKeyThatCannotBeReadChangesNothing() throws Exception {
    KeyPair alice = ed25519();
    JobKeys keys = new JobKeys();
    keys.authorize("j1", List.of(PublicKeyEntry.toString(alice.getPublic())));

    assertThatThrownBy(
            () -> keys.authorize("j1", List.of("ssh-ed25519 not-base64!", "ssh-rsa AAAA")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("not an OpenSSH public key: 'ssh-ed25519 not-base64!'");
    assertThatThrownBy(() -> keys.authorize("j1", List.of("")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(keys.isAuthorized("j1", alice.getPublic())).isTrue();
  }
}
