package dev.bosun.model.config;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The rules for the container fields of runs ({@code image}, {@code python}, {@code entrypoint},
 * {@code user}, {@code registry_auth}, {@code volumes}), in one place: the records enforce them in
 * their constructors and the binder calls them to put the same message at the right line. Each
 * throws {@link IllegalArgumentException} with a message for the user.
 */
final class ContainerFieldRules {
  /** The Python versions {@code python} takes, as dstack's. */
  static final List<String> PYTHON_VERSIONS = List.of("3.9", "3.10", "3.11", "3.12", "3.13");

  /** The form of {@code image}, for messages. */
  static final String IMAGE_FORM =
      "expected [REGISTRY[:PORT]/]NAME[:TAG][@sha256:DIGEST] with a lower-case NAME, e.g."
          + " pytorch/pytorch:2.4.0-cuda12.1-cudnn9-runtime or nvcr.io/nvidia/pytorch:24.07-py3";

  /** The form of a volume, for messages. */
  static final String VOLUME_FORM =
      "/host/path:/container/path (e.g. /mnt/data:/data), or a mapping {instance_path: /mnt/data,"
          + " path: /data, optional: true}";

  /** The most characters of an image name (without tag and digest), as Docker's. */
  static final int MAX_IMAGE_NAME = 255;

  // Docker's reference grammar (github.com/distribution/reference), as ECMA-262 and Java patterns.
  private static final String PATH_COMPONENT = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
  private static final String DOMAIN_COMPONENT =
      "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
  private static final String HOST =
      "(?:" + DOMAIN_COMPONENT + "(?:\\." + DOMAIN_COMPONENT + ")*|\\[[0-9A-Fa-f:.]+\\])";
  private static final String REGISTRY = HOST + "(?::[0-9]+)?";
  private static final String TAG = "[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}";
  private static final String DIGEST = "sha256:[a-f0-9]{64}";

  /**
   * The whole image reference as one pattern, for the JSON Schema; the parser checks the parts one
   * by one to say which is wrong, and tells a registry from a path component as Docker does.
   */
  static final String IMAGE_PATTERN =
      "^(?:"
          + REGISTRY
          + "/)?"
          + PATH_COMPONENT
          + "(?:/"
          + PATH_COMPONENT
          + ")*(?::"
          + TAG
          + ")?(?:@"
          + DIGEST
          + ")?$";

  /** A user name or id, and optionally a group name or id: {@code ubuntu}, {@code 1000:1000}. */
  static final String USER_PATTERN =
      "^[A-Za-z0-9_][A-Za-z0-9_.-]{0,31}(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,31})?$";

  /** A volume written as a string, for the JSON Schema. */
  static final String VOLUME_PATTERN = "^/[^:]*:/[^:]*$";

  private static final Pattern PATH_COMPONENT_RE = Pattern.compile(PATH_COMPONENT);
  private static final Pattern REGISTRY_RE = Pattern.compile(REGISTRY);
  private static final Pattern TAG_RE = Pattern.compile(TAG);
  private static final Pattern DIGEST_RE = Pattern.compile(DIGEST);
  private static final Pattern USER = Pattern.compile(USER_PATTERN);

  private ContainerFieldRules() {}

  /**
   * A Docker image reference, returned as written: {@code ubuntu}, {@code
   * pytorch/pytorch:2.4.0-cuda12.1-cudnn9-runtime}, {@code localhost:5000/me/img@sha256:...}.
   */
  static String image(String image) {
    if (image.isBlank()) {
      throw new IllegalArgumentException("image must not be blank; " + IMAGE_FORM);
    }
    if (image.codePoints().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
      throw badImage(image, "it holds a space or a control character");
    }
    String rest = image;
    int at = rest.indexOf('@');
    if (at >= 0) {
      String digest = rest.substring(at + 1);
      if (!DIGEST_RE.matcher(digest).matches()) {
        throw badImage(
            image,
            "the digest '"
                + digest
                + "' is not sha256: followed by 64 lower-case hexadecimal digits");
      }
      rest = rest.substring(0, at);
    }
    int colon = rest.lastIndexOf(':');
    if (colon > rest.lastIndexOf('/')) {
      String tag = rest.substring(colon + 1);
      if (tag.isEmpty()) {
        throw badImage(image, "the tag after ':' is empty");
      }
      if (!TAG_RE.matcher(tag).matches()) {
        throw badImage(
            image,
            "the tag '"
                + tag
                + "' is not 1 to 128 letters, digits, '_', '.' or '-' that start with a letter,"
                + " digit or '_'");
      }
      rest = rest.substring(0, colon);
    }
    if (rest.isEmpty()) {
      throw badImage(image, "it has no name");
    }
    if (rest.length() > MAX_IMAGE_NAME) {
      throw badImage(image, "the name is longer than " + MAX_IMAGE_NAME + " characters");
    }
    List<String> components = List.of(rest.split("/", -1));
    int first = 0;
    if (components.size() > 1 && isRegistry(components.getFirst())) {
      if (!REGISTRY_RE.matcher(components.getFirst()).matches()) {
        throw badImage(
            image, "the registry '" + components.getFirst() + "' is not a host name or HOST:PORT");
      }
      first = 1;
    }
    for (String component : components.subList(first, components.size())) {
      if (component.isEmpty()) {
        throw badImage(image, "it has an empty path component (a '/' too many)");
      }
      if (!PATH_COMPONENT_RE.matcher(component).matches()) {
        if (!component.toLowerCase(Locale.ROOT).equals(component)) {
          throw badImage(image, "the repository name '" + component + "' has upper-case letters");
        }
        throw badImage(
            image,
            "the path component '"
                + component
                + "' is not lower-case letters and digits separated by '.', '_', '__' or '-'");
      }
    }
    return image;
  }

  /**
   * Whether the first component of a name is a registry, as Docker tells: it has a '.' or a ':', or
   * it is {@code localhost}.
   */
  private static boolean isRegistry(String component) {
    return component.contains(".")
        || component.contains(":")
        || component.startsWith("[")
        || component.equals("localhost");
  }

  private static IllegalArgumentException badImage(String image, String problem) {
    return new IllegalArgumentException(
        "invalid image '" + image + "': " + problem + "; " + IMAGE_FORM);
  }

  /** A Python version that {@code python} takes: {@code "3.9"} to {@code "3.13"}. */
  static String python(String version) {
    if (!PYTHON_VERSIONS.contains(version)) {
      throw new IllegalArgumentException(
          "unsupported python version '" + version + "': expected " + pythonVersions());
    }
    return version;
  }

  /** {@code "3.9", "3.10", ... or "3.13"}. */
  static String pythonVersions() {
    List<String> quoted = PYTHON_VERSIONS.stream().map(v -> "\"" + v + "\"").toList();
    return String.join(", ", quoted.subList(0, quoted.size() - 1)) + " or " + quoted.getLast();
  }

  /** A command line that replaces the image's entrypoint. */
  static String entrypoint(String entrypoint) {
    if (entrypoint.isBlank()) {
      throw new IllegalArgumentException(
          "entrypoint must not be blank; leave it out to use the image's entrypoint");
    }
    return entrypoint;
  }

  /** A user name or id, optionally with a group: {@code ubuntu}, {@code 1000:1000}. */
  static String user(String user) {
    if (!USER.matcher(user).matches()) {
      throw new IllegalArgumentException(
          "invalid user '"
              + user
              + "': expected a user name or id, optionally with a group as USER:GROUP (e.g."
              + " ubuntu or 1000:1000)");
    }
    return user;
  }

  /** The user name or password of {@code registry_auth}, which must not be blank. */
  static String credential(String field, String value) {
    if (value.isBlank()) {
      throw new IllegalArgumentException("registry_auth." + field + " must not be blank");
    }
    return value;
  }

  /**
   * A volume written as {@code /host/path:/container/path}. A host part that is not a path, as in
   * {@code my-vol:/data}, names one of dstack's network volumes.
   */
  static InstanceVolume volume(String text) {
    int colon = text.indexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException("invalid volume '" + text + "': expected " + VOLUME_FORM);
    }
    String host = text.substring(0, colon);
    String container = text.substring(colon + 1);
    if (!host.startsWith("/")) {
      if (host.isEmpty() || host.startsWith(".") || host.startsWith("~")) {
        throw new IllegalArgumentException(
            "invalid volume '"
                + text
                + "': the host path must be absolute; expected /host/path:/container/path");
      }
      throw new IllegalArgumentException(
          "invalid volume '"
              + text
              + "': network volumes come in a later release; instance volumes are"
              + " /host/path:/container/path");
    }
    if (container.contains(":")) {
      throw new IllegalArgumentException(
          "invalid volume '"
              + text
              + "': expected one ':' between /host/path and /container/path (options such as"
              + " :ro are not supported)");
    }
    return new InstanceVolume(host, container, false);
  }

  /** The host side of a volume: an absolute path without {@code ..}. */
  static String hostPath(String path) {
    return path("host path", path);
  }

  /** The container side of a volume: an absolute path without {@code ..}, not {@code /} itself. */
  static String containerPath(String path) {
    path("container path", path);
    if (normalized(path).equals("/")) {
      throw new IllegalArgumentException(
          "invalid container path '" + path + "': a volume cannot be mounted over / itself");
    }
    return path;
  }

  private static String path(String what, String path) {
    if (!path.startsWith("/")) {
      throw new IllegalArgumentException(
          "invalid " + what + " '" + path + "': expected an absolute path, starting with /");
    }
    if (List.of(path.split("/", -1)).contains("..")) {
      throw new IllegalArgumentException(
          "invalid " + what + " '" + path + "': it must not hold '..' segments");
    }
    if (path.indexOf('\0') >= 0) {
      throw new IllegalArgumentException(
          "invalid " + what + " '" + path.replace('\0', '?') + "': it holds a NUL character");
    }
    return path;
  }

  /**
   * A path without repeated or trailing '/' and without '.' segments, so that {@code /data/} and
   * {@code /data} are one mount point.
   */
  static String normalized(String path) {
    StringBuilder normal = new StringBuilder();
    for (String segment : path.split("/")) {
      if (!segment.isEmpty() && !segment.equals(".")) {
        normal.append('/').append(segment);
      }
    }
    return normal.isEmpty() ? "/" : normal.toString();
  }
}
