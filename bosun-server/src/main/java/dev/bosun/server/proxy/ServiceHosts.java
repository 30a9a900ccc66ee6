package dev.bosun.server.proxy;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Services' own host names: with {@code bosun server --services-domain DOMAIN} and a wildcard DNS
 * record {@code *.DOMAIN} pointing at the server, a request whose {@code Host} is {@code
 * RUN.PROJECT.DOMAIN} goes to service RUN of PROJECT at the request's own path (nothing to strip),
 * with the same rate limits, token and replicas as through {@code /proxy/services/} (WebSockets
 * too). Other host names reach the API as before. ({@link ProxyHandler} routes by these names.)
 */
public final class ServiceHosts {
  private static final Pattern DOMAIN =
      Pattern.compile("([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)*[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
  private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

  private final String suffix;

  ServiceHosts(String domain) {
    this.suffix = "." + checkDomain(domain);
  }

  /** The domain in lower case, or an error that says what a domain looks like. */
  public static String checkDomain(String domain) {
    String lower = domain.trim().toLowerCase(Locale.ROOT);
    if (lower.endsWith(".")) {
      lower = lower.substring(0, lower.length() - 1);
    }
    if (!DOMAIN.matcher(lower).matches() || lower.length() > 200) {
      throw new IllegalArgumentException(
          "services domain '"
              + domain
              + "' is not a DNS name; give one such as services.example.com, whose names all"
              + " point at this server");
    }
    return lower;
  }

  /** {run, project} of a {@code RUN.PROJECT.DOMAIN[:port]} host, or null for any other host. */
  String[] service(String host) {
    if (host == null) {
      return null;
    }
    String name = host.toLowerCase(Locale.ROOT);
    int colon = name.lastIndexOf(':');
    if (colon > 0 && name.indexOf(']') < colon) {
      name = name.substring(0, colon);
    }
    if (!name.endsWith(suffix)) {
      return null;
    }
    String[] labels = name.substring(0, name.length() - suffix.length()).split("\\.", -1);
    if (labels.length != 2
        || !LABEL.matcher(labels[0]).matches()
        || !LABEL.matcher(labels[1]).matches()) {
      return null;
    }
    return labels;
  }
}
