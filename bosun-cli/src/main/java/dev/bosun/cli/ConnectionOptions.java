package dev.bosun.cli;

import picocli.CommandLine.Option;

/** Options every command that talks to a server accepts. */
public final class ConnectionOptions {
  @Option(
      names = "--server",
      paramLabel = "URL",
      description =
          "Server URL (env BOSUN_SERVER_URL; default from "
              + "~/.bosun/config.yml, else http://127.0.0.1:3000)")
  String server;

  @Option(names = "--token", paramLabel = "TOKEN", description = "API token (env BOSUN_TOKEN)")
  String token;

  @Option(
      names = {"--project", "-P"},
      paramLabel = "NAME",
      description = "Project (env BOSUN_PROJECT; default main)")
  String project;
}
