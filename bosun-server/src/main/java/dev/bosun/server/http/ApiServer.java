package dev.bosun.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.bosun.api.ApiError;
import dev.bosun.api.Json;
import dev.bosun.model.error.BosunException;
import dev.bosun.model.error.ErrorCode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.servlet.JavalinWsServletContext;
import io.javalin.json.JavalinJackson;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP server: Javalin on virtual threads, bearer authentication, errors as {@link ApiError}.
 */
public final class ApiServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);

  private final Javalin app;

  public ApiServer(List<ApiRoute> routes, Caller caller, String version) {
    this(routes, caller, version, config -> {});
  }

  /**
   * @param more endpoints that are not plain JSON calls (the SSH tunnel's WebSocket)
   */
  public ApiServer(
      List<ApiRoute> routes,
      Caller caller,
      String version,
      java.util.function.Consumer<io.javalin.config.JavalinConfig> more) {
    String openApi = OpenApiDocument.build(routes, version).toPrettyString();
    this.app =
        Javalin.create(
            config -> {
              more.accept(config);
              config.concurrency.useVirtualThreads = true;
              config.jetty.threadPool = threadPool();
              config.startup.showJavalinBanner = false;
              config.jsonMapper(new JavalinJackson(Json.mapper(), true));
              config.routes.get(
                  "/api/openapi.json", ctx -> ctx.contentType("application/json").result(openApi));
              for (ApiRoute route : routes) {
                config.routes.addHttpHandler(
                    handlerType(route.method()),
                    route.path(),
                    ctx -> {
                      if (route.authenticated()) {
                        caller.authenticate(ctx);
                      }
                      route.handler().handle(ctx);
                    });
              }
              config.routes.exception(
                  BosunException.class, (e, ctx) -> error(ctx, e.code(), e.getMessage()));
              config.routes.exception(
                  JsonProcessingException.class,
                  (e, ctx) ->
                      error(
                          ctx,
                          ErrorCode.INVALID_REQUEST,
                          "the request body is not valid JSON for this call: "
                              + e.getOriginalMessage()));
              config.routes.exception(
                  io.javalin.router.EndpointNotFound.class,
                  (e, ctx) ->
                      error(
                          ctx,
                          ErrorCode.NOT_FOUND,
                          "no such endpoint: "
                              + ctx.method()
                              + " "
                              + ctx.path()
                              + " (see /api/openapi.json)"));
              config.routes.exception(
                  io.javalin.http.BadRequestResponse.class,
                  (e, ctx) -> error(ctx, ErrorCode.INVALID_REQUEST, e.getMessage()));
              config.routes.exception(
                  Exception.class,
                  (e, ctx) -> {
                    LOG.error("internal error on {} {}", ctx.method(), ctx.path(), e);
                    error(
                        ctx,
                        ErrorCode.INTERNAL_ERROR,
                        "internal server error ("
                            + e.getClass().getSimpleName()
                            + "); the server log has the details");
                  });
            });
  }

  /**
   * Jetty's own work (selectors, accepting, parsing, the services proxy's forwarding) on a few
   * platform threads, handlers that block (the API's servlet) on virtual threads.
   */
  private static org.eclipse.jetty.util.thread.ThreadPool threadPool() {
    var pool = new org.eclipse.jetty.util.thread.QueuedThreadPool(200, 4);
    pool.setName("api-server");
    pool.setDaemon(true);
    pool.setVirtualThreadsExecutor(
        java.util.concurrent.Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("api-request-", 0).factory()));
    return pool;
  }

  private static io.javalin.http.HandlerType handlerType(String method) {
    return switch (method) {
      case "GET" -> io.javalin.http.HandlerType.GET;
      case "POST" -> io.javalin.http.HandlerType.POST;
      case "DELETE" -> io.javalin.http.HandlerType.DELETE;
      case "PUT" -> io.javalin.http.HandlerType.PUT;
      case "PATCH" -> io.javalin.http.HandlerType.PATCH;
      default -> throw new IllegalArgumentException("unsupported method " + method);
    };
  }

  private static void error(Context ctx, ErrorCode code, String message) {
    ApiError error = new ApiError(code.wireName(), code.category().name().toLowerCase(), message);
    ctx.status(code.httpStatus()).json(error);
    if (ctx instanceof JavalinWsServletContext) {
      // A refused WebSocket upgrade (e.g. the SSH tunnel of a non-member): Javalin runs the
      // exception handlers but never writes their result, so the client would get the status alone
      // and could not say why. Write the body here.
      try {
        byte[] body = Json.mapper().writeValueAsBytes(error);
        ctx.res().setContentType("application/json");
        ctx.res().setContentLength(body.length);
        ctx.res().getOutputStream().write(body);
        ctx.res().flushBuffer();
      } catch (java.io.IOException e) {
        LOG.debug("cannot answer the refused upgrade of {}: {}", ctx.path(), e.toString());
      }
    }
  }

  public ApiServer start(String host, int port) {
    app.start(host, port);
    return this;
  }

  public int port() {
    return app.port();
  }

  @Override
  public void close() {
    app.stop();
  }
}
