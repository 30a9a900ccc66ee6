package dev.bosun.server.http;

import io.javalin.http.Handler;
import java.lang.reflect.Type;

/**
 * One endpoint of the REST API: the handler and what the OpenAPI document says about it.
 *
 * @param requestBody the JSON body type, or null
 * @param responseBody the JSON answer type ({@code Void.class} for none)
 * @param authenticated whether a bearer token is required
 */
public record ApiRoute(
    String method,
    String path,
    String summary,
    Type requestBody,
    Type responseBody,
    boolean authenticated,
    Handler handler) {}
