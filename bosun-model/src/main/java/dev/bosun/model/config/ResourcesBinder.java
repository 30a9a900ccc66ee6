package dev.bosun.model.config;

import dev.bosun.model.resources.CpuSpec;
import dev.bosun.model.resources.GpuSpec;
import dev.bosun.model.resources.IntRange;
import dev.bosun.model.resources.Memory;
import dev.bosun.model.resources.MemoryRange;
import dev.bosun.model.resources.ResourceGrammar;
import dev.bosun.model.resources.ResourcesSpec;
import java.util.Arrays;
import java.util.List;

/**
 * Binds the {@code resources:} mapping, in its string and mapping forms, to a {@link
 * ResourcesSpec}.
 */
final class ResourcesBinder {
  private static final String MEMORY_RANGE = "a memory amount or range such as 64GB..";

  private final NodeReader reader;

  ResourcesBinder(NodeReader reader) {
    this.reader = reader;
  }

  /** The spec, {@link ResourcesSpec#UNSPECIFIED} when absent, or null after reporting errors. */
  ResourcesSpec resources(YamlNode node, FieldPath path) {
    if (node == null) {
      return ResourcesSpec.UNSPECIFIED;
    }
    YamlNode.Mapping mapping =
        reader.mapping(
            node,
            path,
            "a mapping with keys "
                + String.join(", ", ConfigurationFields.names(ResourceFields.RESOURCES)));
    if (mapping == null) {
      return null;
    }
    int before = errorCount();
    MappingReader fields =
        new MappingReader(mapping, path, ResourceFields.RESOURCES, reader.errors());
    CpuSpec cpu = fields.optional("cpu", this::cpu);
    MemoryRange memory =
        fields.optional(
            "memory",
            (value, at) ->
                reader.parsed(value, at, MEMORY_RANGE, ResourceGrammar::parseMemoryRange));
    MemoryRange disk = fields.optional("disk", this::disk);
    Memory shmSize =
        fields.optional(
            "shm_size",
            (value, at) ->
                reader.parsed(
                    value, at, "a memory amount such as 16GB", ResourceGrammar::parseMemory));
    GpuSpec gpu = fields.optional("gpu", this::gpu);
    fields.finish();
    return errorCount() > before ? null : new ResourcesSpec(cpu, memory, disk, shmSize, gpu);
  }

  private CpuSpec cpu(YamlNode node, FieldPath path) {
    if (!(node instanceof YamlNode.Mapping mapping)) {
      return reader.parsed(
          node, path, "a CPU spec such as 16.. or arm:8", ResourceGrammar::parseCpu);
    }
    MappingReader fields = new MappingReader(mapping, path, ResourceFields.CPU, reader.errors());
    int before = errorCount();
    String arch =
        fields.optional(
            "arch",
            (value, at) -> reader.parsed(value, at, "x86 or arm", ResourceGrammar::parseCpuArch));
    IntRange count = fields.optional("count", this::intRange);
    fields.finish();
    if (errorCount() > before) {
      return null;
    }
    // The mapping may name only the architecture; the count then is dstack's default, as in "cpu:
    // arm".
    return new CpuSpec(arch, count == null ? ResourcesSpec.DEFAULT_CPU.count() : count);
  }

  private MemoryRange disk(YamlNode node, FieldPath path) {
    if (!(node instanceof YamlNode.Mapping mapping)) {
      return reader.parsed(node, path, MEMORY_RANGE, ResourceGrammar::parseMemoryRange);
    }
    MappingReader fields = new MappingReader(mapping, path, ResourceFields.DISK, reader.errors());
    YamlNode size = fields.take("size");
    fields.finish();
    if (size == null) {
      reader.report(
          mapping, path, "disk needs a size, e.g. disk: {size: 100GB..} or simply disk: 100GB..");
      return null;
    }
    return reader.parsed(
        size, fields.pathOf("size"), MEMORY_RANGE, ResourceGrammar::parseMemoryRange);
  }

  private GpuSpec gpu(YamlNode node, FieldPath path) {
    if (!(node instanceof YamlNode.Mapping mapping)) {
      // A bare integer is a count, which the token form reads the same way.
      return reader.parsed(node, path, "a GPU spec such as A100:80GB:8", ResourceGrammar::parseGpu);
    }
    MappingReader fields = new MappingReader(mapping, path, ResourceFields.GPU, reader.errors());
    int before = errorCount();
    String vendor =
        fields.optional(
            "vendor",
            (value, at) ->
                reader.parsed(value, at, "a GPU vendor", ResourceGrammar::parseGpuVendor));
    List<String> names = fields.optional("name", this::gpuNames);
    MemoryRange memory = fields.optional("memory", this::gpuMemory);
    IntRange count = fields.optional("count", this::intRange);
    MemoryRange totalMemory = fields.optional("total_memory", this::gpuMemory);
    String computeCapability = fields.optional("compute_capability", this::computeCapability);
    fields.finish();
    if (errorCount() > before) {
      return null;
    }
    return new GpuSpec(vendor, names, memory, count, totalMemory, computeCapability);
  }

  /**
   * A GPU memory range; ".." asks for nothing, so it is no range at all, which the token form can
   * also write.
   */
  private MemoryRange gpuMemory(YamlNode node, FieldPath path) {
    MemoryRange range = reader.parsed(node, path, MEMORY_RANGE, ResourceGrammar::parseMemoryRange);
    return range == null || range.min() == null && range.max() == null ? null : range;
  }

  private List<String> gpuNames(YamlNode node, FieldPath path) {
    if (node instanceof YamlNode.Sequence) {
      List<String> names =
          reader.list(
              node,
              path,
              "GPU names",
              (item, at) ->
                  reader.parsed(
                      item, at, "a GPU name such as A100", ResourceGrammar::parseGpuName));
      if (names != null && names.isEmpty()) {
        reader.report(
            node, path, "the list of GPU names is empty; leave name out to accept any GPU");
        return null;
      }
      return names;
    }
    // One string may list several names, as the token form does: "H100,H200".
    return reader.parsed(
        node,
        path,
        "a GPU name or a list of them",
        text -> Arrays.stream(text.split(",", -1)).map(ResourceGrammar::parseGpuName).toList());
  }

  private String computeCapability(YamlNode node, FieldPath path) {
    if (node instanceof YamlNode.Sequence sequence && sequence.items().size() == 2) {
      // dstack also accepts [major, minor].
      List<String> parts =
          reader.list(
              node, path, "a compute capability", (item, at) -> reader.text(item, at, "a number"));
      if (parts == null) {
        return null;
      }
      try {
        return ResourceGrammar.parseComputeCapability(String.join(".", parts));
      } catch (IllegalArgumentException e) {
        reader.report(node, path, e.getMessage());
        return null;
      }
    }
    return reader.parsed(
        node, path, "a compute capability such as 8.0", ResourceGrammar::parseComputeCapability);
  }

  private IntRange intRange(YamlNode node, FieldPath path) {
    return reader.parsed(
        node, path, "a number or range such as 8 or 1..4", ResourceGrammar::parseIntRange);
  }

  private int errorCount() {
    return reader.errors().count();
  }
}
