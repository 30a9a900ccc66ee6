package dev.bosun.model.config;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The rules for the plain-typed fields of a fleet's {@code ssh_config}, in one place: the records
 * enforce them in their constructors and the binder calls them to put the same message at the right
 * line. Each throws {@link IllegalArgumentException} with a message for the user.
 */
final class SshFieldRules {
  /** The SSH port when neither the host nor {@code ssh_config} gives one. */
  static final int DEFAULT_PORT = 22;

  static final int MAX_PORT = 65535;
  static final String PORT_FORM = "a port from 1 to " + MAX_PORT;
  static final String HOSTNAME_FORM =
      "a host name such as gpu-1.example.com or an IP address such as 10.0.0.5";

  private static final Pattern LABEL =
      Pattern.compile("[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?");
  private static final Pattern NUMERIC = Pattern.compile("[0-9.]+");
  private static final Pattern NAME_AND_PORT = Pattern.compile("[^:]+:\\d+");
  private static final Pattern USER = Pattern.compile("[^\\s@:]{1,64}");

  private SshFieldRules() {}

  static String hostname(String hostname) {
    if (hostname.isBlank()) {
      throw new IllegalArgumentException("a hostname must not be blank; expected " + HOSTNAME_FORM);
    }
    if (hostname.indexOf('@') >= 0) {
      throw new IllegalArgumentException(
          "invalid hostname '"
              + hostname
              + "': give the user in the field user, not in the hostname");
    }
    if (hostname.indexOf(':') >= 0) {
      if (IpAddressGrammar.isAddress(hostname)) {
        return hostname;
      }
      if (NAME_AND_PORT.matcher(hostname).matches()) {
        throw new IllegalArgumentException(
            "invalid hostname '"
                + hostname
                + "': give the port in the field port, not in the hostname");
      }
      throw new IllegalArgumentException(
          "invalid hostname '" + hostname + "': it is not a valid IPv6 address");
    }
    if (NUMERIC.matcher(hostname).matches()) {
      if (!IpAddressGrammar.isAddress(hostname)) {
        throw new IllegalArgumentException(
            "invalid hostname '"
                + hostname
                + "': it is not a valid IPv4 address (four numbers from 0 to 255, e.g. 10.0.0.5)");
      }
      return hostname;
    }
    if (hostname.length() > 253 || !allLabels(hostname)) {
      throw new IllegalArgumentException(
          "invalid hostname '" + hostname + "': expected " + HOSTNAME_FORM);
    }
    return hostname;
  }

  private static boolean allLabels(String hostname) {
    for (String label : hostname.split("\\.", -1)) {
      if (!LABEL.matcher(label).matches()) {
        return false;
      }
    }
    return true;
  }

  static int port(int port) {
    if (port < 1 || port > MAX_PORT) {
      throw new IllegalArgumentException(
          "invalid port " + port + ": expected " + PORT_FORM + " (SSH uses 22)");
    }
    return port;
  }

  static String user(String user) {
    if (!USER.matcher(user).matches()) {
      throw new IllegalArgumentException(
          "invalid user '"
              + user
              + "': a user name is 1 to 64 characters without spaces, '@' or ':' (e.g. ubuntu)");
    }
    return user;
  }

  static String identityFile(String path) {
    if (path.isBlank()) {
      throw new IllegalArgumentException(
          "identity_file must not be blank; give the path of a private key, e.g."
              + " ~/.ssh/id_ed25519");
    }
    return path;
  }

  static String internalIp(String address) {
    if (!IpAddressGrammar.isAddress(address)) {
      throw new IllegalArgumentException(
          "invalid internal_ip '" + address + "': expected " + IpAddressGrammar.FORM);
    }
    return address;
  }

  /**
   * What makes two hosts the same: host names ignore case, as DNS does, and the port counts, so
   * that two SSH servers of one machine can both be hosts.
   */
  static String identity(String hostname, int port) {
    return hostname.toLowerCase(Locale.ROOT) + " " + port;
  }

  /** {@code hostname} or {@code hostname:port} when the port is not 22, for messages. */
  static String describe(String hostname, int port) {
    if (port == DEFAULT_PORT) {
      return hostname;
    }
    return (hostname.indexOf(':') >= 0 ? "[" + hostname + "]" : hostname) + ":" + port;
  }
}
