package dev.bosun.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bosun.model.error.BosunException;
import dev.bosun.model.error.ErrorCode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ApiServerTest {
  private static final String REFUSAL = "you are not a member of project 'main'";
  private ApiServer server;

  @BeforeEach
  void start() {
    server =
        new ApiServer(
                List.of(),
                new Caller(null),
                "test",
                config -> {
                  config.routes.wsBeforeUpgrade(
                      "/ws",
                      ctx -> {
                        throw new BosunException(ErrorCode.FORBIDDEN, REFUSAL);
                      });
                  config.routes.ws("/ws", ws -> {});
                })
            .start("127.0.0.1", 0);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void anUnknownEndpointIsAnErrorInJson() throws Exception {
    HttpResponse<String> answer =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.port() + "/api/nothing"))
                    .build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    assertThat(answer.statusCode()).isEqualTo(404);
    assertThat(answer.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(answer.body())
        .contains("\"code\":\"not_found\"")
        .contains("no such endpoint: GET /api/nothing (see /api/openapi.json)");
  }

  @Test
  void aRefusedWebSocketUpgradeSaysWhyInTheBody() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    URI uri = URI.create("http://127.0.0.1:" + server.port() + "/ws");
    // The handshake as any client sends it: a refusal is a plain HTTP answer with the reason.
    HttpResponse<String> refused =
        http.send(
            HttpRequest.newBuilder(uri)
                .header("Sec-WebSocket-Version", "13")
                .header("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==")
                .build(),
            HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(refused.body()).contains("\"code\":\"forbidden\"").contains(REFUSAL);

    assertThatThrownBy(
            () ->
                http.newWebSocketBuilder()
                    .buildAsync(
                        URI.create("ws://127.0.0.1:" + server.port() + "/ws"),
                        new WebSocket.Listener() {})
                    .join())
        .isInstanceOf(CompletionException.class)
        .cause()
        .isInstanceOfSatisfying(
            WebSocketHandshakeException.class,
            e -> {
              assertThat(e.getResponse().statusCode()).isEqualTo(403);
              assertThat(body(e)).contains(REFUSAL); // what bosun ssh-proxy prints
            });
  }

  static String body(WebSocketHandshakeException e) {
    Object body = e.getResponse().body();
    return body instanceof byte[] bytes
        ? new String(bytes, StandardCharsets.UTF_8)
        : String.valueOf(body);
  }
}
