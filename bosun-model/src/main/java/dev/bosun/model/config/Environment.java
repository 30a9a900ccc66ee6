package dev.bosun.model.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The {@code env} of a run: variables with values, and variables named without a value ({@code -
 * HF_TOKEN} in the list form, {@code HF_TOKEN:} with nothing after it in the mapping form), which
 * take their value from the environment of whoever submits the run. Keeping the two apart, rather
 * than putting nulls in one map, lets the CLI see at a glance what it must fill in, with {@link
 * #resolve}, before it sends the run to the server.
 *
 * @param values variables with their values, in file order
 * @param fromSubmitter names whose value comes from the submitter's environment, in file order
 */
public record Environment(Map<String, String> values, Set<String> fromSubmitter) {
  /** No variables. */
  public static final Environment EMPTY = new Environment(Map.of(), Set.of());

  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  public Environment {
    Objects.requireNonNull(values, "values is null");
    Objects.requireNonNull(fromSubmitter, "fromSubmitter is null");
    Map<String, String> valuesCopy = new LinkedHashMap<>();
    values.forEach(
        (name, value) -> {
          requireName(name);
          valuesCopy.put(
              name, Objects.requireNonNull(value, () -> "the value of " + name + " is null"));
        });
    Set<String> inheritedCopy = new LinkedHashSet<>();
    for (String name : fromSubmitter) {
      requireName(name);
      if (valuesCopy.containsKey(name)) {
        throw new IllegalArgumentException(
            "environment variable "
                + name
                + " has a value and is also taken from the"
                + " submitter's environment");
      }
      inheritedCopy.add(name);
    }
    values = Collections.unmodifiableMap(valuesCopy);
    fromSubmitter = Collections.unmodifiableSet(inheritedCopy);
  }

  /** True for a name a shell accepts: a letter or {@code _}, then letters, digits or {@code _}. */
  public static boolean isValidName(String name) {
    return name != null && NAME.matcher(name).matches();
  }

  /** True when no variable waits for a value from the submitter. */
  public boolean isResolved() {
    return fromSubmitter.isEmpty();
  }

  /**
   * Every variable with a value: the submitter's variables are looked up in {@code
   * submitterEnvironment} (such as {@code System::getenv}). Throws {@link IllegalArgumentException}
   * naming every variable it cannot find.
   */
  public Environment resolve(Function<String, String> submitterEnvironment) {
    Map<String, String> resolved = new LinkedHashMap<>(values);
    List<String> missing = new ArrayList<>();
    for (String name : fromSubmitter) {
      String value = submitterEnvironment.apply(name);
      if (value == null) {
        missing.add(name);
      } else {
        resolved.put(name, value);
      }
    }
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException(
          "the configuration takes "
              + String.join(", ", missing)
              + " from your environment, but "
              + (missing.size() == 1 ? "it is" : "they are")
              + " not set");
    }
    return new Environment(resolved, Set.of());
  }

  private static void requireName(String name) {
    if (!isValidName(name)) {
      throw new IllegalArgumentException(
          "invalid environment variable name '"
              + name
              + "': a name starts with a"
              + " letter or '_' and holds letters, digits or '_' (e.g. HF_TOKEN)");
    }
  }
}
