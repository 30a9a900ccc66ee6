package dev.bosun.agent.ssh;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AccessMode;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileAttributeView;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import org.apache.sshd.common.file.root.RootedFileSystem;
import org.apache.sshd.common.file.root.RootedFileSystemProvider;
import org.apache.sshd.common.file.root.RootedPath;

/**
 * A container's filesystem seen from the host through {@code /proc/<pid>/root}, for SFTP, with its
 * symbolic links resolved inside the container: the kernel would resolve an absolute link met under
 * {@code /proc/<pid>/root} against the host's root, so a link such as {@code /tmp/x -> /etc/shadow}
 * made in the container would reach the host's file. Every path is resolved here component by
 * component (absolute targets from the container's root, {@code ..} never above it); operations
 * that act on a link itself (lstat, readlink, remove, rename) keep the last component, the others
 * follow it the same way. Link targets are written and read as the container sees them.
 *
 * <p>What is left: a process in the container that swaps a directory for a link between the check
 * and the use (a race), so this narrows the window rather than closing it.
 */
final class ContainerRoot extends RootedFileSystemProvider {
  private static final int MAX_LINKS = 40;

  /** The container's root, {@code /proc/<pid>/root}, as a file system. */
  static FileSystem open(Path hostRoot) throws IOException {
    return new ContainerRoot().newFileSystem(hostRoot, Map.of());
  }

  /**
   * The host path of {@code path} (absolute, as the container sees it) under {@code hostRoot}, with
   * every symbolic link resolved inside the container; the last component is kept as is unless
   * {@code followLast}.
   */
  static Path resolve(Path hostRoot, String path, boolean followLast) {
    Deque<String> todo = new ArrayDeque<>(split(path));
    List<String> resolved = new ArrayList<>();
    int links = 0;
    while (!todo.isEmpty()) {
      String name = todo.pop();
      if (name.isEmpty() || name.equals(".")) {
        continue;
      }
      if (name.equals("..")) {
        if (!resolved.isEmpty()) {
          resolved.removeLast();
        }
        continue;
      }
      Path candidate = join(hostRoot, resolved).resolve(name);
      if ((todo.isEmpty() && !followLast) || !Files.isSymbolicLink(candidate)) {
        resolved.add(name);
        continue;
      }
      if (++links > MAX_LINKS) {
        throw new InvalidPathException(path, "too many levels of symbolic links");
      }
      String target;
      try {
        target = Files.readSymbolicLink(candidate).toString();
      } catch (IOException e) {
        resolved.add(name);
        continue;
      }
      if (target.startsWith("/")) {
        resolved.clear();
      }
      List<String> parts = split(target);
      for (int i = parts.size() - 1; i >= 0; i--) {
        todo.push(parts.get(i));
      }
    }
    return join(hostRoot, resolved);
  }

  private static List<String> split(String path) {
    return Arrays.stream(path.split("/")).filter(part -> !part.isEmpty()).toList();
  }

  private static Path join(Path root, List<String> names) {
    Path path = root;
    for (String name : names) {
      path = path.resolve(name);
    }
    return path;
  }

  // ---- every path goes through here: the parent's links resolved, the last component kept ----

  @Override
  protected Path resolveLocalPath(RootedPath path) {
    return resolve(path.getFileSystem().getRoot(), inside(path), false);
  }

  private static String inside(Path path) {
    return path.toAbsolutePath().toString();
  }

  /** The same file with its last component followed too, as a path of the rooted file system. */
  private static Path followed(Path path) {
    RootedFileSystem fs = (RootedFileSystem) path.getFileSystem();
    Path root = fs.getRoot();
    Path host = resolve(root, inside(path), true);
    return fs.getPath("/" + root.relativize(host));
  }

  private static boolean follows(LinkOption... options) {
    return !Arrays.asList(options).contains(LinkOption.NOFOLLOW_LINKS);
  }

  // ---- operations that follow a link in the last component ----

  @Override
  public InputStream newInputStream(Path path, OpenOption... options) throws IOException {
    return super.newInputStream(followed(path), options);
  }

  @Override
  public OutputStream newOutputStream(Path path, OpenOption... options) throws IOException {
    return super.newOutputStream(followed(path), options);
  }

  @Override
  public FileChannel newFileChannel(
      Path path, Set<? extends OpenOption> options, FileAttribute<?>... attrs) throws IOException {
    Path target = options.contains(LinkOption.NOFOLLOW_LINKS) ? path : followed(path);
    return super.newFileChannel(target, options, attrs);
  }

  @Override
  public AsynchronousFileChannel newAsynchronousFileChannel(
      Path path,
      Set<? extends OpenOption> options,
      ExecutorService executor,
      FileAttribute<?>... attrs)
      throws IOException {
    return super.newAsynchronousFileChannel(followed(path), options, executor, attrs);
  }

  @Override
  public SeekableByteChannel newByteChannel(
      Path path, Set<? extends OpenOption> options, FileAttribute<?>... attrs) throws IOException {
    Path target = options.contains(LinkOption.NOFOLLOW_LINKS) ? path : followed(path);
    return super.newByteChannel(target, options, attrs);
  }

  @Override
  public DirectoryStream<Path> newDirectoryStream(
      Path dir, DirectoryStream.Filter<? super Path> filter) throws IOException {
    return super.newDirectoryStream(followed(dir), filter);
  }

  @Override
  public void checkAccess(Path path, AccessMode... modes) throws IOException {
    super.checkAccess(followed(path), modes);
  }

  @Override
  public boolean isSameFile(Path path, Path path2) throws IOException {
    return super.isSameFile(followed(path), followed(path2));
  }

  @Override
  public <V extends FileAttributeView> V getFileAttributeView(
      Path path, Class<V> type, LinkOption... options) {
    return super.getFileAttributeView(follows(options) ? followed(path) : path, type, options);
  }

  @Override
  public <A extends BasicFileAttributes> A readAttributes(
      Path path, Class<A> type, LinkOption... options) throws IOException {
    return super.readAttributes(follows(options) ? followed(path) : path, type, options);
  }

  @Override
  public Map<String, Object> readAttributes(Path path, String attributes, LinkOption... options)
      throws IOException {
    return super.readAttributes(follows(options) ? followed(path) : path, attributes, options);
  }

  @Override
  public void setAttribute(Path path, String attribute, Object value, LinkOption... options)
      throws IOException {
    super.setAttribute(follows(options) ? followed(path) : path, attribute, value, options);
  }

  // ---- link targets as the container sees them ----

  @Override
  public void createSymbolicLink(Path link, Path target, FileAttribute<?>... attrs)
      throws IOException {
    Files.createSymbolicLink(
        resolveLocalPath((RootedPath) link), Path.of(target.toString()), attrs);
  }

  @Override
  public Path readSymbolicLink(Path link) throws IOException {
    Path target = Files.readSymbolicLink(resolveLocalPath((RootedPath) link));
    return link.getFileSystem().getPath(target.toString());
  }
}
