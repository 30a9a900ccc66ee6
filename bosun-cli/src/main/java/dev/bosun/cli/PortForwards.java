package dev.bosun.cli;

import dev.bosun.model.config.PortMapping;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/**
 * The run's {@code ports} as local forwards: {@code 8888} and {@code 80:8888} take that local port
 * or fail with a clear error when it is taken; {@code *:8888} takes any free local port. Ports are
 * forwarded on 127.0.0.1 only.
 */
final class PortForwards {
  /** Local {@code localPort} to the job's {@code remotePort}, from {@code written} in the file. */
  record Forward(int localPort, int remotePort, String written) {
    /** The {@code ssh -L} argument. */
    String sshArgument() {
      return "127.0.0.1:" + localPort + ":localhost:" + remotePort;
    }
  }

  private PortForwards() {}

  /**
   * Picks the local port of each of the run's ports, checking that fixed ones are free.
   *
   * @throws CliException when a fixed local port is taken or cannot be used
   */
  static List<Forward> resolve(String run, List<String> ports) {
    List<Forward> forwards = new ArrayList<>();
    for (String written : ports == null ? List.<String>of() : ports) {
      PortMapping mapping = PortMapping.parse(written);
      int local =
          mapping.anyLocal() ? freePort() : checkFree(run, written, mapping.localPort(), mapping);
      forwards.add(new Forward(local, mapping.containerPort(), written));
    }
    return List.copyOf(forwards);
  }

  private static int checkFree(String run, String written, int port, PortMapping mapping) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      return port;
    } catch (IOException e) {
      String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      String fix =
          why.contains("ermission") && port < 1024
              ? "ports below 1024 need root here; map it to a higher one, e.g. \"8"
                  + String.format("%03d", port)
                  + ":"
                  + mapping.containerPort()
                  + "\""
              : "stop what listens there, or write \"*:"
                  + mapping.containerPort()
                  + "\" in the run's ports to take any free local port";
      throw new CliException(
          ExitCodes.USAGE,
          "cannot forward port \""
              + written
              + "\" of run "
              + run
              + ": local port "
              + port
              + " cannot be used ("
              + why
              + "); "
              + fix);
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new CliException(
          ExitCodes.USAGE, "cannot find a free local port to forward to: " + e.getMessage());
    }
  }
}
