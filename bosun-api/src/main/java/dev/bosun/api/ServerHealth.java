package dev.bosun.api;

/**
 * Answer of {@code /healthz}.
 *
 * @param servicesDomain the domain of services' own host names ({@code RUN.PROJECT.DOMAIN}), or
 *     null when the server has none
 */
public record ServerHealth(String status, String version, String servicesDomain) {
  public ServerHealth(String status, String version) {
    this(status, version, null);
  }
}
