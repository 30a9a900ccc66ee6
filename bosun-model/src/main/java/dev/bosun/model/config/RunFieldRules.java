package dev.bosun.model.config;

import java.math.BigDecimal;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * The rules for plain-typed run fields, in one place: the records enforce them in their
 * constructors and the binder calls them to put the same message at the right line. Each throws
 * {@link IllegalArgumentException} with a message for the user.
 */
final class RunFieldRules {
  /** dstack's rule for run and fleet names. */
  static final String NAME_PATTERN = "^[a-z][a-z0-9-]{1,40}$";

  /**
   * A run's {@code fleets} entry: a fleet of its project, or {@code owner/fleet} shared with it.
   */
  static final String FLEET_REFERENCE_PATTERN = "^([a-z][a-z0-9-]{0,39}/)?[a-z][a-z0-9-]{1,40}$";

  static final String TAG_KEY_PATTERN = "^[A-Za-z0-9_.:/=+@-]{1,60}$";
  static final int TAG_VALUE_MAX = 256;
  static final int MAX_PRIORITY = 100;
  static final List<String> SHELLS = List.of("sh", "bash");

  /** The most nodes a task may ask for: a bound on typos such as 2000 for 2. */
  static final int MAX_NODES = 1024;

  /** The backends of this version of Bosun; {@code backends} may name others, as dstack's do. */
  static final List<String> BOSUN_BACKENDS = List.of("local", "ssh");

  static final String BACKEND_PATTERN = "^[a-z][a-z0-9_-]{0,63}$";
  static final String INSTANCE_TYPE_PATTERN = "^\\S{1,128}$";
  static final String PRICE_PATTERN = "^\\s*(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?\\s*$";

  private static final Pattern NAME = Pattern.compile(NAME_PATTERN);
  private static final Pattern FLEET_REFERENCE = Pattern.compile(FLEET_REFERENCE_PATTERN);
  private static final Pattern TAG_KEY = Pattern.compile(TAG_KEY_PATTERN);
  private static final Pattern BACKEND = Pattern.compile(BACKEND_PATTERN);
  private static final Pattern INSTANCE_TYPE = Pattern.compile(INSTANCE_TYPE_PATTERN);
  private static final Pattern PRICE = Pattern.compile(PRICE_PATTERN);

  private static final String PRICE_FORM =
      "expected a positive number of dollars per hour, e.g. 2.5";

  private RunFieldRules() {}

  static String runName(String name) {
    return name(name, "run name", "train-llama");
  }

  static String fleetName(String name) {
    return name(name, "fleet name", "my-fleet");
  }

  /**
   * A fleet a run may name: its project's {@code my-fleet}, or {@code team/my-fleet} shared with
   * it.
   */
  static String fleetReference(String name) {
    if (!FLEET_REFERENCE.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "invalid fleet name '"
              + name
              + "': name a fleet of this project (e.g. my-fleet) or one another project shares"
              + " with it as PROJECT/FLEET (e.g. team/my-fleet), in lower-case letters, digits and"
              + " '-'");
    }
    return name;
  }

  static int priority(int priority) {
    if (priority < 0 || priority > MAX_PRIORITY) {
      throw new IllegalArgumentException(
          "invalid priority " + priority + ": expected a whole number from 0 to " + MAX_PRIORITY);
    }
    return priority;
  }

  static int nodes(int nodes) {
    if (nodes < 1) {
      throw new IllegalArgumentException(
          "invalid nodes "
              + nodes
              + ": a task runs on at least 1 node; expected a whole number from 1 to "
              + MAX_NODES);
    }
    if (nodes > MAX_NODES) {
      throw new IllegalArgumentException(
          "invalid nodes " + nodes + ": a task runs on at most " + MAX_NODES + " nodes");
    }
    return nodes;
  }

  static String backend(String backend) {
    if (!BACKEND.matcher(backend).matches()) {
      throw new IllegalArgumentException(
          "invalid backend '"
              + backend
              + "': a backend is a lower-case name such as "
              + String.join(" or ", BOSUN_BACKENDS));
    }
    return backend;
  }

  static String instanceType(String instanceType) {
    if (!INSTANCE_TYPE.matcher(instanceType).matches()) {
      throw new IllegalArgumentException(
          "invalid instance type '"
              + instanceType
              + "': expected 1 to 128 characters without spaces (e.g. p4d.24xlarge)");
    }
    return instanceType;
  }

  /** A price as written in a file: a plain or scientific decimal, without a currency sign. */
  static double parseMaxPrice(String text) {
    if (!PRICE.matcher(text).matches()) {
      throw new IllegalArgumentException("invalid max_price '" + text + "': " + PRICE_FORM);
    }
    try {
      return maxPrice(new BigDecimal(text.strip()).doubleValue());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("invalid max_price '" + text + "': " + PRICE_FORM, e);
    }
  }

  static double maxPrice(double price) {
    if (!(price > 0) || Double.isInfinite(price)) {
      throw new IllegalArgumentException("invalid max_price " + price + ": " + PRICE_FORM);
    }
    return price;
  }

  static String shell(String shell) {
    if (!SHELLS.contains(shell) && !shell.startsWith("/")) {
      throw new IllegalArgumentException(
          "invalid shell '"
              + shell
              + "': expected sh, bash or the absolute path of a"
              + " shell (e.g. /usr/bin/zsh)");
    }
    return shell;
  }

  static String workingDir(String directory) {
    if (directory.isBlank()) {
      throw new IllegalArgumentException(
          "working_dir must not be blank; leave it out to use the default");
    }
    return directory;
  }

  static String command(String command) {
    if (command.isBlank()) {
      throw new IllegalArgumentException("a command must not be blank");
    }
    return command;
  }

  static List<String> commands(List<String> commands) {
    if (commands.isEmpty()) {
      throw new IllegalArgumentException(
          "commands must hold at least one command, e.g. commands: [\"python train.py\"]");
    }
    commands.forEach(RunFieldRules::command);
    return commands;
  }

  /** A dev environment's {@code ide}: one of {@link DevEnvironmentConfiguration#IDES}. */
  static String ide(String ide) {
    List<String> ides = DevEnvironmentConfiguration.IDES;
    if (ides.contains(ide)) {
      return ide;
    }
    String suggestion =
        MappingReader.closest(ide, ides)
            .map(name -> "; did you mean '" + name + "'? Supported")
            .orElse("; supported");
    throw new IllegalArgumentException(
        "unknown IDE '"
            + ide
            + "'"
            + suggestion
            + ": "
            + String.join(", ", ides)
            + " (leave ide out for none)");
  }

  /** A dev environment's {@code version} of its IDE: any text that is not blank. */
  static String ideVersion(String version) {
    if (version.isBlank()) {
      throw new IllegalArgumentException(
          "version must not be blank; leave it out for the IDE's own version");
    }
    return version;
  }

  /**
   * A list field of a run as the records keep it: empty for null, else an unmodifiable copy whose
   * items each pass {@code rule}.
   */
  static <T> List<T> listOf(List<T> values, Consumer<? super T> rule) {
    List<T> copy = values == null ? List.of() : List.copyOf(values);
    copy.forEach(rule);
    return copy;
  }

  /** {@code tags} as the records keep them: empty for null, else an ordered unmodifiable copy. */
  static Map<String, String> tagsOf(Map<String, String> tags) {
    return tags == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(tags(tags)));
  }

  static String tagKey(String key) {
    if (!TAG_KEY.matcher(key).matches()) {
      throw new IllegalArgumentException(
          "invalid tag '" + key + "': a tag is 1 to 60 letters, digits or _.:/=+@-");
    }
    return key;
  }

  static String tagValue(String key, String value) {
    Objects.requireNonNull(value, () -> "the value of tag " + key + " is null");
    if (value.length() > TAG_VALUE_MAX) {
      throw new IllegalArgumentException(
          "the value of tag '" + key + "' is longer than " + TAG_VALUE_MAX + " characters");
    }
    return value;
  }

  static Map<String, String> tags(Map<String, String> tags) {
    tags.forEach((key, value) -> tagValue(tagKey(key), value));
    return tags;
  }

  private static String name(String name, String what, String example) {
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "invalid "
              + what
              + " '"
              + name
              + "': a "
              + what
              + " is a lower-case letter"
              + " followed by 1 to 40 lower-case letters, digits or '-' (e.g. "
              + example
              + ")");
    }
    return name;
  }

  /**
   * Checks the fields every run type shares that have rules of their own and no default: {@code
   * working_dir}, {@code shell}, {@code priority} and {@code max_price}, each only when given.
   */
  static void checkShared(String workingDir, String shell, Integer priority, Double maxPrice) {
    if (workingDir != null) {
      workingDir(workingDir);
    }
    if (shell != null) {
      shell(shell);
    }
    if (priority != null) {
      priority(priority);
    }
    if (maxPrice != null) {
      maxPrice(maxPrice);
    }
  }
}
