package dev.bosun.agent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.bosun.api.Json;
import dev.bosun.model.host.GpuDevice;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * AMD GPUs as {@code amd-smi} reports them: the UUID of each from {@code amd-smi list --json}, its
 * model, VRAM and driver from {@code amd-smi static --asic --vram --driver --json}, joined on the
 * GPU index ({@code "gpu"}). Both shapes amd-smi has printed are read: a top-level array of GPUs,
 * or an object whose {@code "gpu_data"} holds them; sizes as {@code {"value": 196592, "unit":
 * "MB"}} ({@code vram.size}) or as a plain number ({@code vram.vram_size_mb}, older amd-smi); the
 * driver as {@code driver.version} or {@code driver.driver_version}. amd-smi's {@code MB} are MiB.
 * A failing {@code amd-smi} or output that does not parse means no AMD GPUs, with a warning; it
 * never stops the agent.
 */
final class AmdSmi {
  static final List<String> LIST = List.of("list", "--json");
  static final List<String> STATIC = List.of("static", "--asic", "--vram", "--driver", "--json");
  private static final Pattern JSON_START = Pattern.compile("^\\s*[\\[{]", Pattern.MULTILINE);
  private static final List<String> VENDOR_PREFIXES = List.of("AMD Instinct ", "AMD ");
  private static final long MIB = 1L << 20;
  private static final Map<String, Long> BYTES_PER_UNIT =
      Map.of("B", 1L, "KB", 1L << 10, "MB", MIB, "GB", 1L << 30);

  private AmdSmi() {}

  /** Runs {@code executable} twice, {@link #LIST} then {@link #STATIC}, and joins the answers. */
  static List<GpuDevice> detect(Path executable) {
    return GpuTool.detect(
        executable, "AMD", amdSmi -> parse(GpuTool.run(amdSmi, LIST), GpuTool.run(amdSmi, STATIC)));
  }

  /**
   * The GPUs of a {@code static} answer, each with the UUID the {@code list} answer gives its
   * index, in index order. Entries without a {@code "gpu"} index (CPUs) are skipped. The driver
   * version is null when amd-smi cannot tell it.
   *
   * @throws IllegalArgumentException when either is not amd-smi JSON, or a GPU lacks its UUID,
   *     model name or VRAM size
   */
  static List<GpuDevice> parse(String listJson, String staticJson) {
    Map<Integer, String> uuids = new HashMap<>();
    for (JsonNode gpu : gpus(listJson)) {
      int index = index(gpu);
      String uuid = text(gpu, "uuid");
      if (uuid == null) {
        throw new IllegalArgumentException("no uuid for GPU " + index);
      }
      if (uuids.put(index, uuid) != null) {
        throw new IllegalArgumentException("GPU " + index + " listed twice");
      }
    }
    List<GpuDevice> devices = new ArrayList<>();
    for (JsonNode gpu : gpus(staticJson)) {
      int index = index(gpu);
      String uuid = uuids.remove(index);
      if (uuid == null) {
        throw new IllegalArgumentException("amd-smi list does not show GPU " + index);
      }
      String marketName = text(gpu.path("asic"), "market_name");
      if (marketName == null) {
        throw new IllegalArgumentException("no asic.market_name for GPU " + index);
      }
      long memoryMb = vramMb(gpu.path("vram"), index);
      String driver = text(gpu.path("driver"), "version", "driver_version");
      devices.add(new GpuDevice(index, uuid, "amd", modelName(marketName), memoryMb, driver));
    }
    devices.sort(Comparator.comparingInt(GpuDevice::index));
    return List.copyOf(devices);
  }

  /** The market name without the vendor: {@code AMD Instinct MI300X} becomes {@code MI300X}. */
  static String modelName(String marketName) {
    for (String prefix : VENDOR_PREFIXES) {
      if (marketName.regionMatches(true, 0, prefix, 0, prefix.length())
          && marketName.length() > prefix.length()) {
        return marketName.substring(prefix.length()).strip();
      }
    }
    return marketName;
  }

  /**
   * The objects with a {@code "gpu"} field of an amd-smi JSON answer, in either shape. Lines before
   * the JSON are skipped: amd-smi prints a warning on standard output when the user is not in the
   * {@code render} and {@code video} groups.
   */
  private static List<JsonNode> gpus(String output) {
    Matcher start = JSON_START.matcher(output);
    if (!start.find()) {
      throw new IllegalArgumentException(
          "no JSON in: " + output.strip().lines().findFirst().orElse(""));
    }
    JsonNode root;
    try {
      root = Json.mapper().readTree(output.substring(start.start()));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage());
    }
    JsonNode entries = root != null && root.isObject() ? root.get("gpu_data") : root;
    if (entries == null || !entries.isArray()) {
      throw new IllegalArgumentException("neither a JSON array nor an object with gpu_data");
    }
    List<JsonNode> gpus = new ArrayList<>();
    for (JsonNode entry : entries) {
      if (entry.isObject() && entry.has("gpu")) {
        gpus.add(entry);
      }
    }
    return gpus;
  }

  private static int index(JsonNode gpu) {
    JsonNode index = gpu.get("gpu");
    if (!index.canConvertToInt() || !index.isIntegralNumber() || index.intValue() < 0) {
      throw new IllegalArgumentException("not a GPU index: " + index);
    }
    return index.intValue();
  }

  /**
   * VRAM in MiB from {@code vram.size} ({@code {"value", "unit"}} or a number of MiB) or {@code
   * vram.vram_size_mb}.
   */
  private static long vramMb(JsonNode vram, int index) {
    JsonNode size = vram.has("size") ? vram.get("size") : vram.get("vram_size_mb");
    String unit = "MB";
    if (size != null && size.isObject()) {
      unit = String.valueOf(text(size, "unit")).toUpperCase(Locale.ROOT);
      size = size.get("value");
    }
    Long bytesPerUnit = BYTES_PER_UNIT.get(unit);
    String digits = size == null || !size.isValueNode() ? null : size.asText().strip();
    if (digits == null || !digits.matches("\\d{1,15}") || bytesPerUnit == null) {
      throw new IllegalArgumentException("no VRAM size for GPU " + index + ": " + vram);
    }
    long value = Long.parseLong(digits);
    return bytesPerUnit >= MIB ? value * (bytesPerUnit / MIB) : value / (MIB / bytesPerUnit);
  }

  /**
   * The first of the {@code fields} of {@code object} that holds a text or a number, as text; null
   * when none does, or only blank or {@code N/A}.
   */
  private static String text(JsonNode object, String... fields) {
    for (String field : fields) {
      JsonNode node = object.get(field);
      String text = node == null || !node.isValueNode() ? "" : node.asText().strip();
      if (!text.isEmpty() && !node.isNull() && !text.equalsIgnoreCase("N/A")) {
        return text;
      }
    }
    return null;
  }
}
