package dev.bosun.server.proxy;

import dev.bosun.model.config.ProbeSpec;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Executors;

/** The requests that check a replica: a TCP connect, or a service's HTTP probe. */
final class ProbeClient {
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .followRedirects(HttpClient.Redirect.NEVER)
          .connectTimeout(Duration.ofSeconds(2))
          .executor(Executors.newVirtualThreadPerTaskExecutor())
          .build();

  /**
   * How long an accepted connection must stay open to count. The local end of a port forwarded over
   * SSH (a replica on an SSH host) accepts every connection, and closes it as soon as the host
   * answers that nothing listens on the port there.
   */
  static final int HOLD_MILLIS = 500;

  /**
   * Whether something accepts TCP connections at the address (within a second) and keeps them open
   * (for {@link #HOLD_MILLIS}, or until it sends something).
   */
  boolean accepts(InetSocketAddress address) {
    try (Socket socket = new Socket()) {
      try {
        socket.connect(address, 1000);
      } catch (IOException e) {
        return false;
      }
      socket.setSoTimeout(HOLD_MILLIS);
      try {
        return socket.getInputStream().read() >= 0; // a server that speaks first (SSH, SMTP)
      } catch (java.net.SocketTimeoutException stillOpen) {
        return true;
      } catch (IOException reset) {
        return false;
      }
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Sends the probe's request to the replica; null when it answered 2xx in time, else what went
   * wrong in words ("answered 503", "timed out after 10 s", "refused the connection").
   */
  String http(InetSocketAddress address, ProbeSpec probe) {
    try {
      URI uri =
          URI.create("http://" + address.getHostString() + ":" + address.getPort() + probe.url());
      HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(probe.timeout());
      for (ProbeSpec.Header header : probe.headers()) {
        request.header(header.name(), header.value()); // (the JDK refuses Host, Connection, …)
      }
      request.method(
          probe.method().toUpperCase(Locale.ROOT),
          probe.body() == null
              ? HttpRequest.BodyPublishers.noBody()
              : HttpRequest.BodyPublishers.ofString(probe.body()));
      HttpResponse<Void> response =
          http.send(request.build(), HttpResponse.BodyHandlers.discarding());
      int status = response.statusCode();
      return status >= 200 && status < 300 ? null : "answered " + status;
    } catch (HttpTimeoutException e) {
      return "timed out after " + probe.timeout().toSeconds() + " s";
    } catch (java.net.ConnectException e) {
      return "refused the connection";
    } catch (IOException e) {
      return "failed: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    } catch (IllegalArgumentException e) {
      return "cannot be sent: " + e.getMessage();
    }
  }
}
