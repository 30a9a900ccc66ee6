package dev.bosun.agent.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Image pulls and imports ({@code POST /images/create}), whose answers are streams of JSON objects:
 * progress events while all goes well, and {@code {"errorDetail": {"message": ...}, "error": ...}}
 * when something fails after the answer began (then the HTTP status is still 200).
 */
final class ImageTransfer {
  private static final Logger LOG = LoggerFactory.getLogger(ImageTransfer.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final DockerClient docker;

  ImageTransfer(DockerClient docker) {
    this.docker = docker;
  }

  void pull(
      String reference, RegistryAuth auth, Duration timeout, Consumer<PullProgress> progress) {
    String[] nameAndTag = split(DockerClient.segment(reference));
    HttpRequest request =
        HttpRequest.of(
            "POST",
            "/images/create?fromImage="
                + DockerClient.query(nameAndTag[0])
                + "&tag="
                + DockerClient.query(nameAndTag[1]),
            timeout);
    if (auth != null) {
      request = request.withHeader("X-Registry-Auth", auth.header());
    }
    long started = System.nanoTime();
    LOG.info("Pulling image {}", reference);
    try {
      stream(request, "cannot pull " + reference, progress);
    } catch (DockerException e) {
      if (e.kind() == DockerException.Kind.TIMEOUT) {
        throw new DockerException(
            DockerException.Kind.TIMEOUT,
            0,
            "pulling " + reference + " did not finish within " + HttpResponse.describe(timeout));
      }
      throw e;
    }
    LOG.info("Pulled image {} in {} ms", reference, (System.nanoTime() - started) / 1_000_000);
  }

  String importTar(Path tar, String reference, Duration timeout) {
    String[] nameAndTag = split(DockerClient.segment(reference));
    HttpRequest request =
        HttpRequest.of(
                "POST",
                "/images/create?fromSrc=-&repo="
                    + DockerClient.query(nameAndTag[0])
                    + "&tag="
                    + DockerClient.query(nameAndTag[1]),
                timeout)
            .withFile(tar, "application/x-tar");
    String[] id = {""};
    stream(request, "cannot import " + tar + " as " + reference, event -> id[0] = event.status());
    LOG.info("Imported {} as image {} ({})", tar, reference, id[0]);
    return id[0];
  }

  /** Reads the answer's JSON objects, passing progress on and throwing the first error. */
  private void stream(HttpRequest request, String failure, Consumer<PullProgress> progress) {
    try (HttpResponse response = docker.send(request)) {
      if (!response.isSuccess()) {
        DockerException error = DockerClient.error(response);
        throw DockerException.rejected(error.status(), failure + ": " + error.getMessage());
      }
      try (MappingIterator<JsonNode> events =
          JSON.readerFor(JsonNode.class).readValues(response.body())) {
        while (events.hasNextValue()) {
          JsonNode event = events.nextValue();
          if (event.has("errorDetail") || event.has("error")) {
            String message =
                event.path("errorDetail").path("message").asText(event.path("error").asText(""));
            throw new DockerException(DockerException.Kind.FAILED, 0, failure + ": " + message);
          }
          JsonNode detail = event.path("progressDetail");
          PullProgress step =
              new PullProgress(
                  event.path("status").asText(""),
                  event.path("id").asText(""),
                  detail.path("current").asLong(),
                  detail.path("total").asLong());
          LOG.debug(
              "{}: {} {} {}/{}",
              request.path(),
              step.status(),
              step.id(),
              step.current(),
              step.total());
          progress.accept(step);
        }
      } catch (IOException e) {
        throw response.failure(e);
      }
    }
  }

  /**
   * A reference's repository and tag (or digest), as the API wants them apart; no tag means {@code
   * latest} (an empty tag would pull every tag).
   */
  static String[] split(String reference) {
    int at = reference.indexOf('@');
    if (at >= 0) {
      return new String[] {reference.substring(0, at), reference.substring(at + 1)};
    }
    int colon = reference.lastIndexOf(':');
    if (colon > reference.lastIndexOf('/')) {
      return new String[] {reference.substring(0, colon), reference.substring(colon + 1)};
    }
    return new String[] {reference, "latest"};
  }
}
