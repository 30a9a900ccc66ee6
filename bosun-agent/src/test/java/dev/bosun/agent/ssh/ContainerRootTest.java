package dev.bosun.agent.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A directory stands for a container's root: links resolve inside it, never above it. */
class ContainerRootTest {
  @TempDir Path root;

  @Test
  void absoluteAndRelativeLinksAndDotDotStayUnderTheRoot() throws Exception {
    Files.createDirectories(root.resolve("etc"));
    Files.createDirectories(root.resolve("usr/bin"));
    Files.createSymbolicLink(root.resolve("bin"), Path.of("usr/bin"));
    Files.createSymbolicLink(root.resolve("etc/abs"), Path.of("/usr/bin"));
    Files.createSymbolicLink(root.resolve("etc/up"), Path.of("../../../../.."));
    Files.createSymbolicLink(root.resolve("etc/passwd-link"), Path.of("/etc/passwd"));

    assertThat(ContainerRoot.resolve(root, "/bin/sh", true)).isEqualTo(root.resolve("usr/bin/sh"));
    assertThat(ContainerRoot.resolve(root, "/etc/abs/x", true))
        .isEqualTo(root.resolve("usr/bin/x"));
    assertThat(ContainerRoot.resolve(root, "/etc/up/etc", true)).isEqualTo(root.resolve("etc"));
    assertThat(ContainerRoot.resolve(root, "/../../etc", true)).isEqualTo(root.resolve("etc"));
    assertThat(ContainerRoot.resolve(root, "/etc/passwd-link", true))
        .isEqualTo(root.resolve("etc/passwd"));
    assertThat(ContainerRoot.resolve(root, "/etc/passwd-link", false))
        .as("the link itself, for lstat, readlink and remove")
        .isEqualTo(root.resolve("etc/passwd-link"));
    assertThat(ContainerRoot.resolve(root, "/", true)).isEqualTo(root);
  }

  @Test
  void aLinkLoopIsAnError() throws Exception {
    Files.createSymbolicLink(root.resolve("a"), Path.of("/b"));
    Files.createSymbolicLink(root.resolve("b"), Path.of("a"));

    assertThatThrownBy(() -> ContainerRoot.resolve(root, "/a/x", true))
        .isInstanceOf(InvalidPathException.class)
        .hasMessageContaining("too many levels of symbolic links");
  }

  @Test
  void theFileSystemReadsWritesAndKeepsLinkTargetsAsTheContainerSeesThem() throws Exception {
    Files.createDirectories(root.resolve("data"));
    Files.createSymbolicLink(root.resolve("shortcut"), Path.of("/data"));
    try (FileSystem fs = ContainerRoot.open(root)) {
      Files.writeString(fs.getPath("/shortcut/note.txt"), "hi\n");
      Files.createSymbolicLink(fs.getPath("/data/abs"), fs.getPath("/data/note.txt"));

      assertThat(Files.readString(root.resolve("data/note.txt"))).isEqualTo("hi\n");
      assertThat(Files.readSymbolicLink(root.resolve("data/abs")))
          .isEqualTo(Path.of("/data/note.txt"));
      assertThat(Files.readSymbolicLink(fs.getPath("/data/abs")).toString())
          .isEqualTo("/data/note.txt");
      assertThat(Files.readString(fs.getPath("/data/abs"))).isEqualTo("hi\n");
      assertThat(Files.isSymbolicLink(fs.getPath("/shortcut"))).isTrue();
      assertThat(Files.isDirectory(fs.getPath("/shortcut"))).isTrue();
      assertThat(Files.exists(fs.getPath("/shortcut"), LinkOption.NOFOLLOW_LINKS)).isTrue();
      Files.delete(fs.getPath("/shortcut"));
      assertThat(root.resolve("data")).isDirectory();
    }
  }
}
