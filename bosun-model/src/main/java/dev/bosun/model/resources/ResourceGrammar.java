package dev.bosun.model.resources;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The resource grammar of configuration files, as dstack defines it: memory amounts ({@code 512MB},
 * {@code 16GB}, {@code 1.5TB}, a bare number is GB), integer and memory ranges ({@code 8}, {@code
 * 2..8}, {@code 16GB..}, {@code ..80GB}), CPU specs ({@code 16..}, {@code arm:8}) and GPU specs
 * ({@code A100:80GB:8}).
 *
 * <p>Every parser throws {@link IllegalArgumentException} with a message meant for the person who
 * wrote the file: it quotes the input, says what is allowed and gives an example. The {@code
 * toString()} of each resource record is in this grammar, so {@code parseX(x.toString())} equals
 * {@code x}; for a {@link GpuSpec} this holds for what the token form can say, which leaves out
 * {@code totalMemory}, {@code computeCapability} and a per-GPU memory range open at both ends (the
 * configuration binder stores that one as null).
 */
public final class ResourceGrammar {
  /** What a memory amount looks like, for messages. */
  static final String MEMORY_FORM = "a number with unit MB, GB or TB (e.g. 16GB)";

  /** What a memory range looks like, for messages. */
  static final String MEMORY_RANGE_FORM =
      "a number with unit MB, GB or TB (e.g. 16GB), or a range of them: 16GB.., ..80GB or 16GB..80GB";

  /** What an integer range looks like, for messages. */
  static final String INT_RANGE_FORM =
      "a whole number of at least 0, or a range such as 8, 2..8, 2.. or ..8";

  static final String CPU_FORM =
      "a count or range with an optional architecture (x86 or arm) before or after it, e.g. 16.., 8, arm:8 or x86:4..8";

  private static final Pattern MEMORY =
      Pattern.compile("(\\d+(?:\\.\\d+)?|\\.\\d+)\\s*([A-Za-z]*)");
  private static final Pattern WHOLE_NUMBER = Pattern.compile("\\d+");
  private static final Pattern COMPUTE_CAPABILITY = Pattern.compile("(\\d{1,3})(?:\\.(\\d{1,3}))?");
  private static final Map<String, Long> MEMORY_UNITS_MB =
      Map.of("", 1024L, "mb", 1L, "gb", 1024L, "tb", 1024L * 1024);
  private static final Map<String, String> CPU_ARCHES =
      Map.of(
          "x86", "x86", "x86_64", "x86", "amd64", "x86", "arm", "arm", "arm64", "arm", "aarch64",
          "arm");

  private ResourceGrammar() {}

  /**
   * Parses {@code 512MB}, {@code 16GB}, {@code 1.5TB}, {@code 16 gb} or a bare number of GB such as
   * {@code 0.5}.
   */
  public static Memory parseMemory(String text) {
    try {
      return memory(text.strip());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("invalid memory '" + text + "': " + e.getMessage(), e);
    }
  }

  /**
   * Parses {@code 16GB}, {@code 16GB..}, {@code ..80GB}, {@code 16GB..80GB} (bare numbers are GB).
   */
  public static MemoryRange parseMemoryRange(String text) {
    try {
      return memoryRange(text.strip());
    } catch (IllegalArgumentException e) {
      String what = text.contains("..") ? "invalid memory range '" : "invalid memory '";
      throw new IllegalArgumentException(what + text + "': " + e.getMessage(), e);
    }
  }

  /**
   * Parses {@code 8}, {@code 2..8}, {@code 2..} or {@code ..8}; bounds are whole numbers of at
   * least 0.
   */
  public static IntRange parseIntRange(String text) {
    try {
      return intRange(text.strip());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("invalid range '" + text + "': " + e.getMessage(), e);
    }
  }

  /**
   * Parses a CPU spec: a count or range with an optional architecture in either order ({@code
   * 16..}, {@code arm:8}, {@code 4..8:x86}). An architecture alone ({@code arm}) asks for the
   * default count, {@code 2..}, as dstack does.
   */
  public static CpuSpec parseCpu(String text) {
    List<String> tokens = List.of(text.strip().split(":", -1));
    String arch = null;
    IntRange count = null;
    if (tokens.size() > 2) {
      throw invalidCpu(text, "it has " + tokens.size() + " parts; expected " + CPU_FORM);
    }
    for (String raw : tokens) {
      String token = raw.strip();
      String asArch = CPU_ARCHES.get(token.toLowerCase(Locale.ROOT));
      if (asArch != null) {
        if (arch != null) {
          throw invalidCpu(text, "the architecture is given twice; expected " + CPU_FORM);
        }
        arch = asArch;
      } else if (!token.isEmpty() && Character.isLetter(token.charAt(0))) {
        throw invalidCpu(
            text, "'" + token + "' is not a CPU architecture (x86 or arm); expected " + CPU_FORM);
      } else {
        if (count != null) {
          throw invalidCpu(text, "the count is given twice; expected " + CPU_FORM);
        }
        try {
          count = intRange(token);
        } catch (IllegalArgumentException e) {
          throw invalidCpu(text, e.getMessage());
        }
      }
    }
    return new CpuSpec(arch, count == null ? ResourcesSpec.DEFAULT_CPU.count() : count);
  }

  /**
   * Parses a CPU architecture: {@code x86} or {@code arm}, any case; {@code x86_64}, {@code amd64},
   * {@code arm64} and {@code aarch64} are accepted as their usual names.
   */
  public static String parseCpuArch(String text) {
    String arch = CPU_ARCHES.get(text.strip().toLowerCase(Locale.ROOT));
    if (arch == null) {
      throw new IllegalArgumentException(
          "invalid CPU architecture '" + text + "': expected x86 or arm");
    }
    return arch;
  }

  /**
   * Parses a GPU spec: colon-separated tokens in any order — a vendor ({@code nvidia}, {@code amd},
   * {@code tpu}, {@code intel}), GPU names ({@code A100}, {@code H100,H200}), per-GPU memory
   * ({@code 24GB..80GB}) and a count ({@code 8}, {@code 1..4}), each at most once: {@code
   * A100:80GB:8}, {@code 24GB..:2}, {@code nvidia:1..8}.
   */
  public static GpuSpec parseGpu(String text) {
    return GpuTokens.parse(text);
  }

  /**
   * Parses a GPU vendor, any case, to its lower-case name: {@code nvidia}, {@code amd}, {@code
   * tpu}, {@code intel}.
   */
  public static String parseGpuVendor(String text) {
    String vendor = GpuTokens.vendorOrNull(text.strip());
    if (vendor == null) {
      throw new IllegalArgumentException(
          "invalid GPU vendor '"
              + text
              + "': expected one of "
              + String.join(", ", GpuTokens.VENDORS));
    }
    return vendor;
  }

  /**
   * Parses one GPU model name such as {@code A100} or {@code RTX4090}; the case is kept, matching
   * ignores it.
   */
  public static String parseGpuName(String text) {
    try {
      return GpuTokens.name(text.strip());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("invalid GPU name '" + text + "': " + e.getMessage(), e);
    }
  }

  /**
   * Parses a minimum compute capability, {@code 8.0} or {@code 8}, to the {@code major.minor} form.
   */
  public static String parseComputeCapability(String text) {
    Matcher matcher = COMPUTE_CAPABILITY.matcher(text.strip());
    if (!matcher.matches()) {
      throw new IllegalArgumentException(
          "invalid compute capability '" + text + "': expected major.minor, e.g. 8.0 or 7.5");
    }
    int minor = matcher.group(2) == null ? 0 : Integer.parseInt(matcher.group(2));
    return Integer.parseInt(matcher.group(1)) + "." + minor;
  }

  /** A memory amount; the exception carries only the reason. */
  static Memory memory(String text) {
    Matcher matcher = MEMORY.matcher(text);
    Long unitMb =
        matcher.matches() ? MEMORY_UNITS_MB.get(matcher.group(2).toLowerCase(Locale.ROOT)) : null;
    if (unitMb == null) {
      throw new IllegalArgumentException("expected " + MEMORY_FORM);
    }
    try {
      // Rounded to whole MiB: finer amounts mean nothing to a scheduler.
      long mb =
          new BigDecimal(matcher.group(1))
              .multiply(BigDecimal.valueOf(unitMb))
              .setScale(0, RoundingMode.HALF_UP)
              .longValueExact();
      return Memory.ofMb(mb);
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("the amount is too large", e);
    }
  }

  /** A memory range; the exception carries only the reason. */
  static MemoryRange memoryRange(String text) {
    String[] bounds = splitRange(text);
    if (bounds == null) {
      Memory exact = memoryBound(text);
      return new MemoryRange(exact, exact);
    }
    Memory min = bounds[0].isEmpty() ? null : memoryBound(bounds[0]);
    Memory max = bounds[1].isEmpty() ? null : memoryBound(bounds[1]);
    if (min != null && max != null && min.compareTo(max) > 0) {
      throw new IllegalArgumentException("the minimum " + min + " is above the maximum " + max);
    }
    return new MemoryRange(min, max);
  }

  /** An integer range; the exception carries only the reason. */
  static IntRange intRange(String text) {
    String[] bounds = splitRange(text);
    if (bounds == null) {
      int exact = wholeNumber(text);
      return IntRange.exactly(exact);
    }
    Integer min = bounds[0].isEmpty() ? null : wholeNumber(bounds[0]);
    Integer max = bounds[1].isEmpty() ? null : wholeNumber(bounds[1]);
    if (min != null && max != null && min > max) {
      throw new IllegalArgumentException("the minimum " + min + " is above the maximum " + max);
    }
    return new IntRange(min, max);
  }

  /**
   * The two stripped bounds around the first {@code ..}, or null when the text is a single value.
   */
  private static String[] splitRange(String text) {
    int dots = text.indexOf("..");
    if (dots < 0) {
      return null;
    }
    return new String[] {text.substring(0, dots).strip(), text.substring(dots + 2).strip()};
  }

  private static Memory memoryBound(String text) {
    try {
      return memory(text);
    } catch (IllegalArgumentException e) {
      // The range form is what the user can write here, so name it rather than the single-amount
      // form.
      String reason =
          e.getMessage().startsWith("expected") ? "expected " + MEMORY_RANGE_FORM : e.getMessage();
      throw new IllegalArgumentException(reason, e);
    }
  }

  private static int wholeNumber(String text) {
    if (!WHOLE_NUMBER.matcher(text).matches()) {
      throw new IllegalArgumentException("expected " + INT_RANGE_FORM);
    }
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(text + " is too large", e);
    }
  }

  private static IllegalArgumentException invalidCpu(String text, String reason) {
    return new IllegalArgumentException("invalid CPU spec '" + text + "': " + reason);
  }
}
