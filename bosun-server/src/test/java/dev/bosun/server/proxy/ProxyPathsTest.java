package dev.bosun.server.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.EOFException;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.content.AsyncContent;
import org.junit.jupiter.api.Test;

/** How the proxy reads a request's path and passes it on, and what it makes of handshakes. */
class ProxyPathsTest {
  private static String passedOn(String raw) {
    return ProxyPaths.escapeUnsafe(HttpURI.from(raw).getCanonicalPath());
  }

  @Test
  void escapesJettyKeepsStayAsTheyAreAndOnlyWhatCannotBeSentIsEncoded() {
    assertThat(passedOn("/caf%C3%A9%20x")).isEqualTo("/caf%C3%A9%20x");
    assertThat(passedOn("/a%3fb/%41")).isEqualTo("/a%3Fb/A");
    assertThat(passedOn("/%7e%20")).isEqualTo("/~%20");
    assertThat(passedOn("/a%23b/%25")).isEqualTo("/a%23b/%25");
    assertThat(passedOn("/v1/chat/completions")).isEqualTo("/v1/chat/completions");
    assertThat(ProxyPaths.escapeUnsafe("/a b/\"q\"/€")).isEqualTo("/a%20b/%22q%22/%E2%82%AC");
  }

  @Property
  void whatIsPassedOnIsPrintableAsciiAndDecodesToWhatTheProxyRead(@ForAll String segment) {
    String read = "/" + segment.replace("%", "");
    String escaped = ProxyPaths.escapeUnsafe(read);
    assertThat(escaped.chars().allMatch(c -> c > 0x20 && c < 0x7f)).isTrue();
    String utf8 = new String(read.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
    assertThat(URLDecoder.decode(escaped.replace("+", "%2B"), StandardCharsets.UTF_8))
        .isEqualTo(utf8);
  }

  @Test
  void pathsThatAReplicaCouldReadDifferentlyAreAmbiguous() {
    assertThat(ProxyPaths.ambiguous(HttpURI.from("/proxy/services/p/s/v1%2Fchat"))).isTrue();
    assertThat(ProxyPaths.ambiguous(HttpURI.from("/proxy/services/p/s/%2e%2e/x"))).isTrue();
    assertThat(ProxyPaths.ambiguous(HttpURI.from("/proxy/services/p/s/..;x/y"))).isTrue();
    assertThat(ProxyPaths.ambiguous(HttpURI.from("/proxy/services/p/s/a%20b/%25"))).isFalse();
    assertThat(ProxyPaths.ambiguous(HttpURI.from("/proxy/services/p/s/v1/chat"))).isFalse();
  }

  @Test
  void blankSubprotocolsInAHandshakeAreNotOffered() {
    assertThat(ServiceSockets.offeredProtocols(null)).isEmpty();
    assertThat(ServiceSockets.offeredProtocols(" , ")).isEmpty();
    assertThat(ServiceSockets.offeredProtocols("chat, ,json ,")).containsExactly("chat", "json");
  }

  @Test
  void aBodyFailedForTheReplicasSakeIsNotTheCallersFailure() {
    AsyncContent caller = new AsyncContent();
    CallerBody body = new CallerBody(caller);
    IOException replicaSide = new IOException("the replica's request failed");
    body.fail(replicaSide);
    assertThat(Content.Chunk.isFailure(body.read())).isTrue();
    assertThat(body.failure()).isNull();
    // the caller's request hears of it too (its failure listeners): that is not the caller gone
    assertThat(body.failedByReplicaSide(replicaSide)).isTrue();
    assertThat(body.failedByReplicaSide(new IOException("the caller went away"))).isFalse();
  }

  @Test
  void anUploadThatBreaksOffIsTheCallersFailure() {
    AsyncContent caller = new AsyncContent();
    CallerBody body = new CallerBody(caller);
    caller.fail(new EOFException("the caller went away"));
    assertThat(Content.Chunk.isFailure(body.read())).isTrue();
    assertThat(body.failure()).isInstanceOf(EOFException.class);
  }
}
