package dev.bosun.server.fleet.ssh;

import java.nio.file.Path;

/** Client key files of every kind Bosun must read (and some it must refuse), made by ssh-keygen. */
record TestKeys(
    Path ed25519,
    Path rsa,
    Path ecdsa,
    Path rsaPem,
    Path ecdsaPem,
    Path ecdsaPkcs8,
    Path ed25519Protected,
    Path rsaPemProtected,
    Path ecdsaPkcs8Protected,
    Path stranger) {

  static TestKeys generate(Path dir) {
    SshTestServer.assumeSshd();
    return new TestKeys(
        SshTestServer.keygen(dir.resolve("id_ed25519"), "ed25519", ""),
        SshTestServer.keygen(dir.resolve("id_rsa"), "rsa", ""),
        SshTestServer.keygen(dir.resolve("id_ecdsa"), "ecdsa", ""),
        SshTestServer.keygen(dir.resolve("id_rsa_pem"), "rsa", "", "-m", "PEM"),
        SshTestServer.keygen(dir.resolve("id_ecdsa_pem"), "ecdsa", "", "-m", "PEM"),
        SshTestServer.keygen(dir.resolve("id_ecdsa_pkcs8"), "ecdsa", "", "-m", "PKCS8"),
        SshTestServer.keygen(dir.resolve("id_ed25519_protected"), "ed25519", "secret words"),
        SshTestServer.keygen(
            dir.resolve("id_rsa_pem_protected"), "rsa", "secret words", "-m", "PEM"),
        SshTestServer.keygen(
            dir.resolve("id_ecdsa_pkcs8_protected"), "ecdsa", "secret words", "-m", "PKCS8"),
        SshTestServer.keygen(dir.resolve("id_stranger"), "ed25519", ""));
  }

  /** Lets every key but the stranger's log in to {@code server}. */
  void authorizeAllButStranger(SshTestServer server) {
    for (Path key :
        new Path[] {
          ed25519,
          rsa,
          ecdsa,
          rsaPem,
          ecdsaPem,
          ecdsaPkcs8,
          ed25519Protected,
          rsaPemProtected,
          ecdsaPkcs8Protected
        }) {
      server.authorize(key);
    }
  }
}
