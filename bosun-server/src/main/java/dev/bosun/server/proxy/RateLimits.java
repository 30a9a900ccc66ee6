package dev.bosun.server.proxy;

import dev.bosun.model.config.RateLimitSpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.LongPredicate;
import java.util.function.LongSupplier;

/**
 * The rate limits of one service, as the proxy applies them to each request: nginx's {@code
 * limit_req} with {@code burst} and {@code nodelay}, which dstack uses.
 *
 * <p><b>Which limits apply.</b> A limit matches a request whose path (relative to the service,
 * starting with {@code /}, without the query) starts with the limit's {@code prefix}, as a plain
 * string, like an nginx prefix location: {@code /v1} matches {@code /v1}, {@code /v1/x} and also
 * {@code /v1x}. Only the limits of the <em>longest</em> matching prefix apply (a request to {@code
 * /v1/chat} under limits for {@code /} and {@code /v1/} is counted by {@code /v1/} only). Several
 * limits with that same prefix (different keys) all apply: the request must pass each of them, and
 * it takes a token from each only if it passes all.
 *
 * <p><b>Keys.</b> Each limit counts requests per key: the client's IP address, or the value of a
 * header. A request without the header (or with an empty value) is not counted by that limit, as
 * nginx skips empty keys; it does not fall back to a shorter prefix. Values longer than {@value
 * #MAX_KEY_LENGTH} characters are kept as their SHA-256, so memory per key is bounded.
 *
 * <p><b>Buckets.</b> Each key has a token bucket of capacity {@code burst + 1}, refilled with one
 * token every {@code 1 / rps} seconds (rounded up to the nanosecond, so never faster than {@code
 * rps}): a key may send {@code 1 + burst} requests at once, then one every {@code 1 / rps} seconds.
 * A bucket is kept as its "theoretical arrival time" (GCRA): one long per key. A refused request
 * takes no token, and is answered with a {@code Retry-After} of the whole seconds until a token is
 * there (rounded up, at least 1).
 *
 * <p><b>Memory.</b> Keys come from clients, so each limit keeps at most {@code maxBuckets} buckets
 * (plus those inserted by threads racing the sweep). When a new key would go above that, the limit
 * drops the buckets that have refilled to capacity, which is exact: a full bucket behaves as an
 * absent one. If that still leaves more than three quarters of the bound (a flood of keys within
 * one refill time), it also drops the buckets nearest to full until three quarters are left, as
 * nginx drops its least recently used states when its zone is full; those keys get their tokens
 * back early. Sweeps thus happen at most once per quarter of the bound of new keys.
 *
 * <p>Thread-safe. With no limits, {@link #check} returns at once.
 */
public final class RateLimits {
  /** The buckets one limit keeps at most, by default. */
  static final int MAX_BUCKETS = 100_000;

  /** Key values longer than this are kept as their SHA-256. */
  static final int MAX_KEY_LENGTH = 128;

  /** The longest refill interval and burst tolerance, in nanoseconds (about 11.6 days). */
  private static final double MAX_SPAN_NANOS = 1e15;

  private static final long NANOS_PER_SECOND = 1_000_000_000L;

  /** The limits with one prefix, longest prefix first. */
  private final Group[] groups;

  private final LongSupplier nanoTime;

  /**
   * What {@link #check} decided.
   *
   * @param allowed whether the request may pass
   * @param retryAfterSeconds for a refused request, the whole seconds until it would pass (at least
   *     1), for the {@code Retry-After} header; 0 when allowed
   * @param limit the limit that refused the request (the one with the longest wait); null when
   *     allowed
   */
  public record Decision(boolean allowed, long retryAfterSeconds, RateLimitSpec limit) {
    public static final Decision ALLOWED = new Decision(true, 0, null);
  }

  /** The limits of a service, on the system's monotonic clock. */
  public RateLimits(List<RateLimitSpec> limits) {
    this(limits, System::nanoTime);
  }

  /**
   * The limits of a service on {@code nanoTime}, a monotonic clock in nanoseconds (as {@link
   * System#nanoTime}).
   */
  public RateLimits(List<RateLimitSpec> limits, LongSupplier nanoTime) {
    this(limits, nanoTime, MAX_BUCKETS);
  }

  RateLimits(List<RateLimitSpec> limits, LongSupplier nanoTime, int maxBuckets) {
    if (maxBuckets < 4) {
      throw new IllegalArgumentException("maxBuckets " + maxBuckets + ": at least 4");
    }
    this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
    Map<String, List<Limit>> byPrefix = new LinkedHashMap<>();
    for (RateLimitSpec spec : limits) {
      byPrefix
          .computeIfAbsent(spec.prefix(), p -> new ArrayList<>())
          .add(new Limit(spec, maxBuckets));
    }
    groups =
        byPrefix.entrySet().stream()
            .map(e -> new Group(e.getKey(), e.getValue().toArray(Limit[]::new)))
            .sorted(Comparator.comparingInt((Group g) -> g.prefix.length()).reversed())
            .toArray(Group[]::new);
  }

  /** Whether there are no limits. */
  public boolean isEmpty() {
    return groups.length == 0;
  }

  /**
   * Decides whether a request may pass, and if so counts it.
   *
   * @param path the request's path relative to the service, starting with {@code /}, without query
   * @param clientIp the client's IP address
   * @param header the request's header of a name (case-insensitively), or null when absent
   */
  public Decision check(String path, String clientIp, Function<String, String> header) {
    if (groups.length == 0) {
      return Decision.ALLOWED;
    }
    Group group = match(path == null ? "/" : path);
    if (group == null) {
      return Decision.ALLOWED;
    }
    Limit[] limits = group.limits;
    if (limits.length == 1) {
      Limit limit = limits[0];
      String key = limit.keyOf(clientIp, header);
      return key == null ? Decision.ALLOWED : checkOne(limit, key);
    }
    String[] keys = new String[limits.length];
    boolean any = false;
    for (int i = 0; i < limits.length; i++) {
      keys[i] = limits[i].keyOf(clientIp, header);
      any |= keys[i] != null;
    }
    return any ? checkAll(limits, keys) : Decision.ALLOWED;
  }

  private Group match(String path) {
    for (Group group : groups) {
      if (path.startsWith(group.prefix)) {
        return group;
      }
    }
    return null;
  }

  private Decision checkOne(Limit limit, String key) {
    long now = nanoTime.getAsLong();
    while (true) {
      Bucket bucket = limit.bucket(key, now);
      synchronized (bucket) {
        if (bucket.dead) {
          continue; // swept meanwhile: take the key's new bucket
        }
        long wait = limit.waitNanos(bucket, now);
        if (wait > 0) {
          return refused(limit, wait);
        }
        limit.take(bucket, now);
        return Decision.ALLOWED;
      }
    }
  }

  private Decision checkAll(Limit[] limits, String[] keys) {
    long now = nanoTime.getAsLong();
    Bucket[] buckets = new Bucket[limits.length];
    while (true) {
      for (int i = 0; i < limits.length; i++) {
        buckets[i] = keys[i] == null ? null : limits[i].bucket(keys[i], now);
      }
      // Locks every bucket (always in the order of the limits, so no deadlock), then checks all
      // and takes from all only if all pass.
      Decision decision = lockAndDecide(limits, buckets, 0, now);
      if (decision != null) {
        return decision;
      }
    }
  }

  /** The decision, or null when a bucket was swept meanwhile and the buckets must be looked up. */
  private static Decision lockAndDecide(Limit[] limits, Bucket[] buckets, int i, long now) {
    if (i < buckets.length) {
      Bucket bucket = buckets[i];
      if (bucket == null) {
        return lockAndDecide(limits, buckets, i + 1, now);
      }
      synchronized (bucket) {
        return bucket.dead ? null : lockAndDecide(limits, buckets, i + 1, now);
      }
    }
    long worst = 0;
    Limit refusing = null;
    for (int j = 0; j < buckets.length; j++) {
      if (buckets[j] != null) {
        long wait = limits[j].waitNanos(buckets[j], now);
        if (wait > worst) {
          worst = wait;
          refusing = limits[j];
        }
      }
    }
    if (refusing != null) {
      return refused(refusing, worst);
    }
    for (int j = 0; j < buckets.length; j++) {
      if (buckets[j] != null) {
        limits[j].take(buckets[j], now);
      }
    }
    return Decision.ALLOWED;
  }

  private static Decision refused(Limit limit, long waitNanos) {
    long seconds = (waitNanos + NANOS_PER_SECOND - 1) / NANOS_PER_SECOND;
    return new Decision(false, Math.max(1, seconds), limit.spec);
  }

  /** The buckets the limits keep, in all; for tests. */
  int size() {
    int size = 0;
    for (Group group : groups) {
      for (Limit limit : group.limits) {
        size += limit.buckets.size();
      }
    }
    return size;
  }

  private record Group(String prefix, Limit[] limits) {}

  /**
   * A key's bucket: full when {@code tat <= now}; each request moves {@code tat} one interval
   * later; a request passes when {@code tat - tolerance <= now}. Guarded by its own monitor.
   */
  private static final class Bucket {
    long tat;

    /** Swept from its map: a request that finds it looks the key up again. */
    boolean dead;

    Bucket(long now) {
      tat = now;
    }
  }

  private static final class Limit {
    final RateLimitSpec spec;
    final String header;

    /** Nanoseconds per token. */
    final long interval;

    /** {@code burst * interval}: how far ahead of now {@code tat} may be for a request to pass. */
    final long tolerance;

    final int maxBuckets;
    final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();
    final ReentrantLock sweeping = new ReentrantLock();

    Limit(RateLimitSpec spec, int maxBuckets) {
      this.spec = spec;
      this.header = spec.key().type().equals(RateLimitSpec.Key.HEADER) ? spec.key().header() : null;
      this.interval =
          Math.max(1, (long) Math.min(Math.ceil(NANOS_PER_SECOND / spec.rps()), MAX_SPAN_NANOS));
      this.tolerance = (long) Math.min((double) spec.burst() * interval, MAX_SPAN_NANOS);
      this.maxBuckets = maxBuckets;
    }

    /** The request's key for this limit, or null when the limit does not count it. */
    String keyOf(String clientIp, Function<String, String> headers) {
      String key = header == null ? clientIp : headers.apply(header);
      if (key == null || key.isEmpty()) {
        return null;
      }
      return key.length() > MAX_KEY_LENGTH ? digest(key) : key;
    }

    Bucket bucket(String key, long now) {
      Bucket bucket = buckets.get(key);
      if (bucket != null) {
        return bucket;
      }
      if (buckets.size() >= maxBuckets) {
        sweep(now);
      }
      Bucket created = new Bucket(now);
      bucket = buckets.putIfAbsent(key, created);
      return bucket == null ? created : bucket;
    }

    /** Nanoseconds until the bucket has a token; 0 or less when it has one. Under its lock. */
    long waitNanos(Bucket bucket, long now) {
      return bucket.tat - tolerance - now;
    }

    /** Takes a token. Under the bucket's lock. */
    void take(Bucket bucket, long now) {
      bucket.tat = (bucket.tat - now > 0 ? bucket.tat : now) + interval;
    }

    private void sweep(long now) {
      if (!sweeping.tryLock()) {
        return; // another thread sweeps
      }
      try {
        if (buckets.size() < maxBuckets) {
          return;
        }
        // Full buckets: exactly equivalent to absent ones.
        buckets.forEach((key, bucket) -> dropIf(key, bucket, tat -> tat - now <= 0));
        int keep = maxBuckets - maxBuckets / 4;
        int excess = buckets.size() - keep;
        if (excess <= 0) {
          return;
        }
        // A flood of new keys: drop those nearest to full, down to three quarters of the bound.
        long[] tats = new long[buckets.size() + 64];
        int n = 0;
        for (Bucket bucket : buckets.values()) {
          if (n == tats.length) {
            break;
          }
          synchronized (bucket) {
            tats[n++] = bucket.tat - now;
          }
        }
        Arrays.sort(tats, 0, n);
        long threshold = tats[Math.min(excess, n) - 1];
        buckets.forEach((key, bucket) -> dropIf(key, bucket, tat -> tat - now < threshold));
        // Ties at the threshold: only as many as still needed.
        buckets.forEach(
            (key, bucket) -> {
              if (buckets.size() > keep) {
                dropIf(key, bucket, tat -> tat - now == threshold);
              }
            });
      } finally {
        sweeping.unlock();
      }
    }

    private void dropIf(String key, Bucket bucket, LongPredicate drop) {
      synchronized (bucket) {
        if (!bucket.dead && drop.test(bucket.tat)) {
          bucket.dead = true;
          buckets.remove(key, bucket);
        }
      }
    }

    private static String digest(String key) {
      try {
        byte[] hash =
            MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        return "sha256:" + HexFormat.of().formatHex(hash);
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
