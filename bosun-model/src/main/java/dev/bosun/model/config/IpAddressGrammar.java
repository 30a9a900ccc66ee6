package dev.bosun.model.config;

import java.util.ArrayList;
import java.util.List;

/**
 * IP address literals as fleet files write them ({@code internal_ip}, {@code network}): IPv4 in
 * dotted-decimal form ({@code 10.0.0.5}) and IPv6 in RFC 4291 text form ({@code fd00::5}, {@code
 * ::ffff:10.0.0.5}). Parsed by hand, not with {@link java.net.InetAddress}, which resolves names
 * through DNS and accepts legacy forms such as {@code 10.1} that users do not mean.
 */
public final class IpAddressGrammar {
  static final String FORM = "an IPv4 or IPv6 address such as 10.0.0.5 or fd00::5";

  private IpAddressGrammar() {}

  /** True when {@code text} is an IP address literal. */
  public static boolean isAddress(String text) {
    return parse(text) != null;
  }

  /** The address's 4 or 16 bytes, or null when {@code text} is not an IP address literal. */
  static byte[] parse(String text) {
    if (text == null || text.isEmpty()) {
      return null;
    }
    return text.indexOf(':') >= 0 ? ipv6(text) : ipv4(text);
  }

  private static byte[] ipv4(String text) {
    String[] parts = text.split("\\.", -1);
    if (parts.length != 4) {
      return null;
    }
    byte[] bytes = new byte[4];
    for (int i = 0; i < 4; i++) {
      String part = parts[i];
      // Leading zeros are refused: some tools read 010 as octal.
      if (part.isEmpty()
          || part.length() > 3
          || part.length() > 1 && part.charAt(0) == '0'
          || !part.chars().allMatch(c -> c >= '0' && c <= '9')) {
        return null;
      }
      int value = Integer.parseInt(part);
      if (value > 255) {
        return null;
      }
      bytes[i] = (byte) value;
    }
    return bytes;
  }

  private static byte[] ipv6(String text) {
    int gap = text.indexOf("::");
    if (gap >= 0 && text.indexOf("::", gap + 1) >= 0) {
      return null;
    }
    List<Integer> head = gap < 0 ? groups(text) : groups(text.substring(0, gap));
    List<Integer> tail = gap < 0 ? List.of() : groups(text.substring(gap + 2));
    if (head == null || tail == null) {
      return null;
    }
    int count = head.size() + tail.size();
    if (gap < 0 ? count != 8 : count > 7) {
      return null;
    }
    byte[] bytes = new byte[16];
    for (int i = 0; i < head.size(); i++) {
      put(bytes, i, head.get(i));
    }
    for (int i = 0; i < tail.size(); i++) {
      put(bytes, 8 - tail.size() + i, tail.get(i));
    }
    return bytes;
  }

  /**
   * The 16-bit groups of one side of {@code ::}; a dotted IPv4 address may end the text and counts
   * as two groups. Null when a group is malformed.
   */
  private static List<Integer> groups(String text) {
    List<Integer> groups = new ArrayList<>();
    if (text.isEmpty()) {
      return groups;
    }
    String[] parts = text.split(":", -1);
    for (int i = 0; i < parts.length; i++) {
      String part = parts[i];
      if (i == parts.length - 1 && part.indexOf('.') >= 0) {
        byte[] ipv4 = ipv4(part);
        if (ipv4 == null) {
          return null;
        }
        groups.add((ipv4[0] & 0xff) << 8 | ipv4[1] & 0xff);
        groups.add((ipv4[2] & 0xff) << 8 | ipv4[3] & 0xff);
        continue;
      }
      if (part.isEmpty() || part.length() > 4 || !part.chars().allMatch(IpAddressGrammar::isHex)) {
        return null;
      }
      groups.add(Integer.parseInt(part, 16));
    }
    return groups;
  }

  private static boolean isHex(int c) {
    return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
  }

  private static void put(byte[] bytes, int group, int value) {
    bytes[2 * group] = (byte) (value >> 8);
    bytes[2 * group + 1] = (byte) value;
  }
}
