package dev.bosun.model.config;

import java.util.List;
import java.util.Objects;

/**
 * A rate limit of a service, as dstack's {@code rate_limits}: requests whose path starts with
 * {@code prefix} are counted per {@code key} (the client's IP address, or the value of a header),
 * each key may send {@code rps} requests per second with bursts of {@code burst} more, and the
 * proxy answers the others with 429.
 *
 * @param prefix the path prefix the limit applies to, starting with {@code /}; {@code /} when null
 * @param key what requests are counted by; {@link Key#IP} when null
 * @param rps the requests per second each key may send, more than 0
 * @param burst how many requests above the rate a key may send at once, 0 or more
 */
public record RateLimitSpec(String prefix, Key key, double rps, int burst) {
  public static final String DEFAULT_PREFIX = "/";

  /**
   * What requests are counted by.
   *
   * @param type {@link #IP_ADDRESS} or {@link #HEADER}
   * @param header the header whose value is the key, for {@link #HEADER}; null for {@link
   *     #IP_ADDRESS}
   */
  public record Key(String type, String header) {
    public static final String IP_ADDRESS = "ip_address";
    public static final String HEADER = "header";

    /** The values {@code type} may take. */
    public static final List<String> TYPES = List.of(IP_ADDRESS, HEADER);

    /** The client's IP address: dstack's default key. */
    public static final Key IP = new Key(IP_ADDRESS, null);

    public Key {
      ServiceFieldRules.keyType(Objects.requireNonNull(type, "type is null"));
      if (type.equals(HEADER)) {
        ServiceFieldRules.headerName(
            Objects.requireNonNull(header, "a key of type header needs the header's name"));
      } else if (header != null) {
        throw new IllegalArgumentException(
            "a key of type " + IP_ADDRESS + " takes no header; write {type: header, header: NAME}");
      }
    }

    /** The value of the header {@code name}. */
    public static Key header(String name) {
      return new Key(HEADER, name);
    }

    /** {@code ip_address} or {@code header X-Api-Key}, for messages. */
    @Override
    public String toString() {
      return header == null ? type : type + " " + header;
    }
  }

  public RateLimitSpec {
    prefix = prefix == null ? DEFAULT_PREFIX : ServiceFieldRules.path("prefix", prefix);
    key = key == null ? Key.IP : key;
    ServiceFieldRules.positive("rps", rps);
    ServiceFieldRules.burst(burst);
  }

  /**
   * Whether another limit applies to the same requests: the same prefix and key (header names
   * compared without regard to case, as HTTP does).
   */
  public boolean sameScope(RateLimitSpec other) {
    return prefix.equals(other.prefix)
        && key.type().equals(other.key.type())
        && (key.header() == null
            ? other.key.header() == null
            : key.header().equalsIgnoreCase(other.key.header()));
  }
}
