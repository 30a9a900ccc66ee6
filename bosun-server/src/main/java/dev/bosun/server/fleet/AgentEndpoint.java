package dev.bosun.server.fleet;

import java.net.URI;

/** Where an agent answers and the token it expects. */
public record AgentEndpoint(URI uri, String token) {}
