package dev.bosun.model.config;

import java.util.Arrays;
import java.util.Objects;

/**
 * An IP network in CIDR form, as a fleet's {@code ssh_config.network} gives it: {@code
 * 10.0.0.0/24}, {@code fd00::/64}. A bare address is a network of that one address ({@code /32} or
 * {@code /128}), as in dstack. The address must have no bits set past the prefix, so that {@code
 * 10.0.0.1/24} is refused rather than silently read as {@code 10.0.0.0/24}.
 *
 * @param address the network address as written, such as {@code 10.0.0.0}
 * @param prefixLength the number of leading bits that name the network: 0..32 for IPv4, 0..128 for
 *     IPv6
 */
public record IpNetwork(String address, int prefixLength) {
  static final String FORM = "a network in CIDR form such as 10.0.0.0/24";

  public IpNetwork {
    Objects.requireNonNull(address, "address is null");
    byte[] bytes = IpAddressGrammar.parse(address);
    if (bytes == null) {
      throw new IllegalArgumentException(
          "invalid network address '" + address + "': expected " + IpAddressGrammar.FORM);
    }
    int bits = bytes.length * 8;
    if (prefixLength < 0 || prefixLength > bits) {
      throw new IllegalArgumentException(
          "invalid network '"
              + address
              + "/"
              + prefixLength
              + "': the prefix length of an IPv"
              + (bytes.length == 4 ? "4" : "6")
              + " network goes from 0 to "
              + bits);
    }
    byte[] masked = mask(bytes, prefixLength);
    if (!Arrays.equals(bytes, masked)) {
      String suggestion =
          masked.length == 4 ? "; did you mean " + ipv4Text(masked) + "/" + prefixLength + "?" : "";
      throw new IllegalArgumentException(
          "invalid network '"
              + address
              + "/"
              + prefixLength
              + "': the address has bits set past the /"
              + prefixLength
              + " prefix"
              + suggestion);
    }
  }

  /**
   * Parses {@code 10.0.0.0/24}, {@code fd00::/64} or a bare address; throws {@link
   * IllegalArgumentException} for the user.
   */
  public static IpNetwork parse(String text) {
    String trimmed = text.strip();
    int slash = trimmed.indexOf('/');
    String address = slash < 0 ? trimmed : trimmed.substring(0, slash).strip();
    byte[] bytes = IpAddressGrammar.parse(address);
    if (bytes == null) {
      throw new IllegalArgumentException(
          "invalid network '"
              + text
              + "': expected "
              + FORM
              + " (an IPv4 or IPv6 address, '/'"
              + " and a prefix length)");
    }
    if (slash < 0) {
      return new IpNetwork(address, bytes.length * 8);
    }
    String prefix = trimmed.substring(slash + 1).strip();
    if (prefix.isEmpty()
        || prefix.length() > 3
        || !prefix.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new IllegalArgumentException(
          "invalid network '"
              + text
              + "': expected "
              + FORM
              + "; '"
              + prefix
              + "' is not a prefix length");
    }
    return new IpNetwork(address, Integer.parseInt(prefix));
  }

  /**
   * True when {@code ipAddress} is an address literal of this network's family inside it, as the
   * server needs to pick a host's internal IP among its interfaces' addresses.
   */
  public boolean contains(String ipAddress) {
    byte[] candidate = IpAddressGrammar.parse(ipAddress);
    byte[] network = IpAddressGrammar.parse(address);
    return candidate != null
        && candidate.length == network.length
        && Arrays.equals(mask(candidate, prefixLength), network);
  }

  /** {@code address/prefixLength}, the form {@link #parse} reads. */
  @Override
  public String toString() {
    return address + "/" + prefixLength;
  }

  private static byte[] mask(byte[] bytes, int prefixLength) {
    byte[] masked = bytes.clone();
    for (int i = 0; i < masked.length; i++) {
      int keep = Math.max(0, Math.min(8, prefixLength - 8 * i));
      masked[i] = (byte) (masked[i] & (0xff << (8 - keep)));
    }
    return masked;
  }

  private static String ipv4Text(byte[] bytes) {
    return (bytes[0] & 0xff)
        + "."
        + (bytes[1] & 0xff)
        + "."
        + (bytes[2] & 0xff)
        + "."
        + (bytes[3] & 0xff);
  }
}
