package dev.bosun.agent.ssh;

import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.util.Set;
import org.apache.sshd.common.AttributeRepository.AttributeKey;
import org.apache.sshd.common.file.FileSystemFactory;
import org.apache.sshd.common.session.SessionContext;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;
import org.apache.sshd.server.session.ServerSession;
import org.apache.sshd.sftp.server.FileHandle;
import org.apache.sshd.sftp.server.SftpFileSystemAccessor;
import org.apache.sshd.sftp.server.SftpSubsystem;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;
import org.apache.sshd.sftp.server.SftpSubsystemProxy;

/**
 * SFTP (and so {@code scp}, which OpenSSH 9 runs over SFTP) into a job's files, starting in the
 * job's working directory. Process jobs: the host's filesystem as the agent's user. Container jobs:
 * the container's filesystem through {@code /proc/<pid>/root} ({@link ContainerRoot}); the agent
 * (root) does the work, and what it creates is handed to the container's user.
 */
final class JobSftp extends SftpSubsystemFactory implements FileSystemFactory {
  private static final AttributeKey<String> START_DIR = new AttributeKey<>();
  private static final AttributeKey<int[]> OWNER = new AttributeKey<>();

  private final JobSessions sessions;

  JobSftp(JobSessions sessions) {
    this.sessions = sessions;
    setFileSystemAccessor(new OwnerAccessor());
  }

  @Override
  public Command createSubsystem(ChannelSession channel) throws IOException {
    return new SftpSubsystem(channel, this) {
      @Override
      public void setFileSystem(FileSystem fileSystem) {
        super.setFileSystem(fileSystem);
        String start = getServerSession().getAttribute(START_DIR);
        if (start != null && Files.isDirectory(fileSystem.getPath(start))) {
          defaultDir = fileSystem.getPath(start);
        }
      }
    };
  }

  // ---- FileSystemFactory: the file system of a session's job ----

  @Override
  public Path getUserHomeDir(SessionContext session) {
    return null;
  }

  @Override
  public FileSystem createFileSystem(SessionContext context) throws IOException {
    ServerSession session = (ServerSession) context;
    try {
      return switch (sessions.job(session)) {
        case SshJob.ProcessJob process -> {
          session.setAttribute(START_DIR, process.workingDir().toString());
          yield FileSystems.getDefault();
        }
        case SshJob.ContainerJob container -> {
          ContainerEntry entry = sessions.enter(container);
          session.setAttribute(START_DIR, entry.workingDir());
          if (entry.uid() != 0 || entry.gid() != 0) {
            session.setAttribute(OWNER, new int[] {entry.uid(), entry.gid()});
          }
          yield ContainerRoot.open(entry.root());
        }
      };
    } catch (JobUnavailableException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  /** Gives files and directories created in a container to the container's user. */
  private static final class OwnerAccessor implements SftpFileSystemAccessor {
    @Override
    public SeekableByteChannel openFile(
        SftpSubsystemProxy subsystem,
        FileHandle fileHandle,
        Path file,
        String handle,
        Set<? extends OpenOption> options,
        FileAttribute<?>... attrs)
        throws IOException {
      boolean existed = Files.exists(file, LinkOption.NOFOLLOW_LINKS);
      SeekableByteChannel channel =
          SftpFileSystemAccessor.super.openFile(
              subsystem, fileHandle, file, handle, options, attrs);
      if (!existed) {
        chown(subsystem, file);
      }
      return channel;
    }

    @Override
    public void createDirectory(SftpSubsystemProxy subsystem, Path path) throws IOException {
      SftpFileSystemAccessor.super.createDirectory(subsystem, path);
      chown(subsystem, path);
    }

    private static void chown(SftpSubsystemProxy subsystem, Path path) throws IOException {
      int[] owner = subsystem.getServerSession().getAttribute(OWNER);
      if (owner != null && Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
        Files.setAttribute(path, "unix:uid", owner[0], LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(path, "unix:gid", owner[1], LinkOption.NOFOLLOW_LINKS);
      }
    }
  }
}
