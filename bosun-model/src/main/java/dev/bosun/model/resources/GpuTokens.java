package dev.bosun.model.resources;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The token form of a GPU spec ({@code A100:80GB:8}). A token is classified the way dstack does it,
 * so that existing files mean the same: a vendor word is the vendor, a token that starts with a
 * letter holds names, a token with a letter elsewhere (a unit) is per-GPU memory, and the rest is
 * the count.
 */
final class GpuTokens {
  /** The vendors, in the order messages list them. */
  static final List<String> VENDORS = List.of("nvidia", "amd", "tpu", "intel");

  static final String FORMS =
      "A GPU spec is colon-separated tokens in any order: a vendor (nvidia, amd, tpu, intel),"
          + " GPU names (A100 or H100,H200), per-GPU memory (24GB..80GB) and a count (8 or 1..4), e.g. A100:80GB:8";

  // gpuhunt calls Google's accelerators "google"; dstack files may use either word.
  private static final Map<String, String> VENDOR_ALIASES = Map.of("google", "tpu");
  private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_-]{0,63}");
  private static final Pattern WHITESPACE = Pattern.compile("\\s+");

  private GpuTokens() {}

  static GpuSpec parse(String text) {
    // dstack removes every space before splitting, so "A100 : 2" and "RTX 4090" keep working.
    String spec = WHITESPACE.matcher(text).replaceAll("");
    if (spec.isEmpty()) {
      throw invalid(text, "it is empty. " + FORMS);
    }
    String vendor = null;
    String vendorToken = null;
    List<String> names = null;
    String namesToken = null;
    MemoryRange memory = null;
    String memoryToken = null;
    IntRange count = null;
    String countToken = null;
    for (String token : spec.split(":", -1)) {
      if (token.isEmpty()) {
        throw invalid(text, "it has an empty token; separate tokens with single colons. " + FORMS);
      }
      String asVendor = vendorOrNull(token);
      if (asVendor != null) {
        requireFirst(text, "the vendor", vendorToken, token);
        vendor = asVendor;
        vendorToken = token;
      } else if (Character.isLetter(token.charAt(0))) {
        requireFirst(text, "GPU names", namesToken, token);
        names = names(text, token);
        namesToken = token;
      } else if (token.chars().anyMatch(Character::isLetter)) {
        requireFirst(text, "the per-GPU memory", memoryToken, token);
        memory = memory(text, token);
        memoryToken = token;
      } else {
        requireFirst(text, "the count", countToken, token);
        count = count(text, token);
        countToken = token;
      }
    }
    return new GpuSpec(vendor, names, memory, count, null, null);
  }

  /** The canonical vendor for a word, any case, or null when it is not a vendor. */
  static String vendorOrNull(String word) {
    String lower = word.toLowerCase(Locale.ROOT);
    if (VENDORS.contains(lower)) {
      return lower;
    }
    return VENDOR_ALIASES.get(lower);
  }

  /** One GPU name, checked; the exception carries only the reason. */
  static String name(String name) {
    if (vendorOrNull(name) != null) {
      throw new IllegalArgumentException("'" + name + "' is a GPU vendor, not a GPU name");
    }
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "a GPU name starts with a letter and holds letters, digits, '-' or '_' (at most 64), e.g. A100 or RTX4090");
    }
    return name;
  }

  private static List<String> names(String text, String token) {
    List<String> names = new ArrayList<>();
    for (String name : token.split(",", -1)) {
      if (name.isEmpty()) {
        throw invalid(
            text,
            "the GPU names '"
                + token
                + "' contain an empty name; separate names with single commas");
      }
      try {
        names.add(name(name));
      } catch (IllegalArgumentException e) {
        throw invalid(
            text, "'" + name + "' is not a valid GPU name: " + e.getMessage() + ". " + FORMS);
      }
    }
    return names;
  }

  private static MemoryRange memory(String text, String token) {
    try {
      return ResourceGrammar.memoryRange(token);
    } catch (IllegalArgumentException e) {
      throw invalid(
          text,
          "'"
              + token
              + "' is not a valid per-GPU memory: "
              + e.getMessage()
              + " (GPU names start with a letter)");
    }
  }

  private static IntRange count(String text, String token) {
    try {
      return ResourceGrammar.intRange(token);
    } catch (IllegalArgumentException e) {
      throw invalid(text, "'" + token + "' is not a valid GPU count: " + e.getMessage());
    }
  }

  private static void requireFirst(String text, String what, String earlier, String token) {
    if (earlier == null) {
      return;
    }
    String hint =
        what.equals("GPU names")
            ? "; list several names in one token separated by commas, e.g. H100,H200:8. "
            : ". ";
    throw invalid(
        text, "it gives " + what + " twice ('" + earlier + "' and '" + token + "')" + hint + FORMS);
  }

  private static IllegalArgumentException invalid(String text, String reason) {
    return new IllegalArgumentException("invalid GPU spec '" + text + "': " + reason);
  }
}
