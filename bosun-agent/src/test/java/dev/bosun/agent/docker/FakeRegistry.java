package dev.bosun.agent.docker;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPOutputStream;

/**
 * A Docker registry (HTTP API v2, plain HTTP on loopback, which Docker trusts for {@code
 * 127.0.0.0/8}) that serves one-layer images made from a root filesystem tar, optionally behind
 * Basic authentication, and records the {@code Authorization} headers it gets. An image can be
 * served with a corrupt layer, to make a pull fail after it has begun.
 *
 * <p>A bare HTTP/1.1 server rather than the JDK's, because Docker first tries TLS even with
 * registries it may reach over HTTP: this one closes such a connection at once (the JDK server
 * would wait for a request line, and Docker for its 10 s handshake timeout).
 */
public final class FakeRegistry implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String MANIFEST_TYPE =
      "application/vnd.docker.distribution.manifest.v2+json";

  private final ServerSocket server;
  private final String credentials; // "Basic ..." or null
  private final Map<String, byte[]> manifests = new ConcurrentHashMap<>(); // "name:tag"
  private final Map<String, byte[]> blobs = new ConcurrentHashMap<>(); // digest
  private final List<String> authorizations = new CopyOnWriteArrayList<>();

  private FakeRegistry(String username, String password) throws IOException {
    this.credentials =
        username == null
            ? null
            : "Basic "
                + Base64.getEncoder()
                    .encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread.ofVirtual().name("fake-registry").start(this::accept);
  }

  /** A registry anyone may pull from. */
  public static FakeRegistry open() throws IOException {
    return new FakeRegistry(null, null);
  }

  /** A registry that wants these credentials. */
  public static FakeRegistry withLogin(String username, String password) throws IOException {
    return new FakeRegistry(username, password);
  }

  /** {@code 127.0.0.1:port}. */
  public String address() {
    return "127.0.0.1:" + server.getLocalPort();
  }

  /** The {@code Authorization} headers received so far (empty for requests without one). */
  List<String> authorizations() {
    return List.copyOf(authorizations);
  }

  /**
   * Serves {@code name:tag} with the tar as its one layer, and returns the full reference; with
   * {@code corrupt}, the layer's bytes do not match its digest.
   */
  public String serve(String name, String tag, Path rootfsTar, boolean corrupt) throws IOException {
    byte[] tar = Files.readAllBytes(rootfsTar);
    if (corrupt) {
      // a layer Docker cannot already have from another test's pull of the same tar: zeros after
      // the end-of-archive blocks change the blob's digest, not the files
      tar = java.util.Arrays.copyOf(tar, tar.length + 1024);
    }
    ByteArrayOutputStream gzipped = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(gzipped)) {
      gzip.write(tar);
    }
    byte[] layer = gzipped.toByteArray();
    ObjectNode config = JSON.createObjectNode();
    config.put("architecture", "amd64").put("os", "linux");
    config.putObject("config").putArray("Cmd").add("sh");
    ObjectNode rootfs = config.putObject("rootfs").put("type", "layers");
    rootfs.putArray("diff_ids").add(digest(tar));
    byte[] configBytes = JSON.writeValueAsBytes(config);
    ObjectNode manifest = JSON.createObjectNode();
    manifest.put("schemaVersion", 2).put("mediaType", MANIFEST_TYPE);
    manifest
        .putObject("config")
        .put("mediaType", "application/vnd.docker.container.image.v1+json")
        .put("size", configBytes.length)
        .put("digest", digest(configBytes));
    manifest
        .putArray("layers")
        .addObject()
        .put("mediaType", "application/vnd.docker.image.rootfs.diff.tar.gzip")
        .put("size", layer.length)
        .put("digest", digest(layer));
    blobs.put(digest(configBytes), configBytes);
    byte[] served = layer.clone();
    if (corrupt) {
      served[served.length / 2] ^= 0x55;
    }
    blobs.put(digest(layer), served);
    byte[] manifestBytes = JSON.writeValueAsBytes(manifest);
    manifests.put(name + ":" + tag, manifestBytes);
    manifests.put(name + ":" + digest(manifestBytes), manifestBytes); // Docker asks by digest too
    return address() + "/" + name + ":" + tag;
  }

  @Override
  public void close() throws IOException {
    server.close();
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket socket = server.accept();
        Thread.ofVirtual().start(() -> serve(socket));
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  /** One request per connection; a TLS ClientHello (first byte 0x16) is closed unanswered. */
  private void serve(Socket socket) {
    try (socket) {
      InputStream in = new BufferedInputStream(socket.getInputStream());
      in.mark(1);
      if (in.read() == 0x16) {
        return;
      }
      in.reset();
      String[] requestLine = HttpLines.readLine(in).split(" ");
      Map<String, String> headers = new java.util.HashMap<>();
      for (String line = HttpLines.readLine(in); !line.isEmpty(); line = HttpLines.readLine(in)) {
        int colon = line.indexOf(':');
        headers.put(
            line.substring(0, colon).strip().toLowerCase(Locale.ROOT),
            line.substring(colon + 1).strip());
      }
      Exchange exchange =
          new Exchange(requestLine[0], requestLine[1], headers, socket.getOutputStream());
      handle(exchange);
    } catch (IOException e) {
      // the client went away
    }
  }

  /** A request and where its answer goes. */
  private record Exchange(
      String method, String path, Map<String, String> headers, OutputStream out) {}

  private void handle(Exchange exchange) throws IOException {
    {
      String authorization = exchange.headers().get("authorization");
      authorizations.add(authorization == null ? "" : authorization);
      if (credentials != null && !credentials.equals(authorization)) {
        String challenge = "WWW-Authenticate: Basic realm=\"bosun-test\"";
        error(exchange, 401, "UNAUTHORIZED", "authentication required", challenge);
        return;
      }
      String path = exchange.path();
      if (path.equals("/v2/")) {
        send(exchange, 200, "application/json", "{}".getBytes(StandardCharsets.UTF_8));
        return;
      }
      int manifests = path.lastIndexOf("/manifests/");
      int blobs = path.lastIndexOf("/blobs/");
      if (manifests > 0) {
        String name = path.substring("/v2/".length(), manifests);
        byte[] manifest =
            this.manifests.get(name + ":" + path.substring(manifests + "/manifests/".length()));
        if (manifest == null) {
          error(exchange, 404, "MANIFEST_UNKNOWN", "manifest unknown");
          return;
        }
        send(exchange, 200, MANIFEST_TYPE, manifest, "Docker-Content-Digest: " + digest(manifest));
      } else if (blobs > 0) {
        byte[] blob = this.blobs.get(path.substring(blobs + "/blobs/".length()));
        if (blob == null) {
          error(exchange, 404, "BLOB_UNKNOWN", "blob unknown to registry");
          return;
        }
        send(exchange, 200, "application/octet-stream", blob);
      } else {
        error(exchange, 404, "NAME_UNKNOWN", "repository name not known to registry");
      }
    }
  }

  private static void error(
      Exchange exchange, int status, String code, String message, String... headers)
      throws IOException {
    ObjectNode body = JSON.createObjectNode();
    body.putArray("errors").addObject().put("code", code).put("message", message);
    send(exchange, status, "application/json", JSON.writeValueAsBytes(body), headers);
  }

  private static void send(
      Exchange exchange, int status, String type, byte[] body, String... headers)
      throws IOException {
    StringBuilder head =
        new StringBuilder("HTTP/1.1 " + status + " " + (status == 200 ? "OK" : "Error") + "\r\n");
    head.append("Docker-Distribution-API-Version: registry/2.0\r\n");
    head.append("Content-Type: ").append(type).append("\r\n");
    head.append("Content-Length: ").append(body.length).append("\r\n");
    head.append("Connection: close\r\n");
    for (String header : headers) {
      head.append(header).append("\r\n");
    }
    exchange.out().write(head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
    if (!exchange.method().equals("HEAD")) {
      exchange.out().write(body);
    }
    exchange.out().flush();
  }

  private static String digest(byte[] bytes) {
    try {
      return "sha256:"
          + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
