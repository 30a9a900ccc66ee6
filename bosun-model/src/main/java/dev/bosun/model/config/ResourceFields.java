package dev.bosun.model.config;

import static dev.bosun.model.config.SchemaTypes.arrayOf;
import static dev.bosun.model.config.SchemaTypes.enumOf;
import static dev.bosun.model.config.SchemaTypes.oneOf;
import static dev.bosun.model.config.SchemaTypes.ref;
import static dev.bosun.model.config.SchemaTypes.string;
import static dev.bosun.model.config.SchemaTypes.type;

import java.util.List;

/**
 * The field tables of {@code resources} and its mappings, as {@link ConfigurationFields} holds
 * those of run files: {@link ResourcesBinder} reads only these fields and {@link
 * ConfigurationSchema} is generated from them.
 */
final class ResourceFields {
  static final List<FieldSpec> RESOURCES =
      List.of(
          new FieldSpec(
              "cpu",
              "CPUs: a count or range with an optional architecture, e.g. 16.., arm:8 or x86:4..8;"
                  + " 2.. when left out.",
              ref("cpu")),
          new FieldSpec(
              "memory",
              "Memory: an amount or range with unit MB, GB or TB, e.g. 64GB..; 8GB.. when left"
                  + " out.",
              ref("memoryRange")),
          new FieldSpec(
              "disk",
              "Disk space: an amount or range such as 500GB.., or a mapping with size; 100GB.. when"
                  + " left out.",
              ref("disk")),
          new FieldSpec(
              "shm_size",
              "Shared memory (/dev/shm), e.g. 16GB; PyTorch data loaders may need more.",
              ref("memory")),
          new FieldSpec(
              "gpu",
              "GPUs: colon-separated tokens in any order (vendor, names, per-GPU memory, count), e.g."
                  + " A100:80GB:8, 24GB..:2 or nvidia:1..8; a count alone, or a mapping.",
              ref("gpu")));

  static final List<FieldSpec> CPU =
      List.of(
          new FieldSpec("arch", "The CPU architecture: x86 or arm.", enumOf(List.of("x86", "arm"))),
          new FieldSpec("count", "The number of CPUs, e.g. 8 or 4..16.", ref("intRange")));

  static final List<FieldSpec> GPU =
      List.of(
          new FieldSpec(
              "vendor", "The GPU vendor.", enumOf(List.of("nvidia", "amd", "tpu", "intel"))),
          new FieldSpec(
              "name",
              "One GPU model name or a list of them, e.g. A100 or [H100, H200]; matched ignoring case.",
              oneOf(string(), arrayOf(string("^[A-Za-z][A-Za-z0-9_-]{0,63}$"), 1))),
          new FieldSpec("memory", "Memory per GPU, e.g. 80GB or 24GB..80GB.", ref("memoryRange")),
          new FieldSpec("count", "The number of GPUs, e.g. 8 or 1..4.", ref("intRange")),
          new FieldSpec(
              "total_memory",
              "Memory of all the run's GPUs together, e.g. 160GB...",
              ref("memoryRange")),
          new FieldSpec(
              "compute_capability",
              "The least NVIDIA compute capability, e.g. 8.0.",
              oneOf(string("^\\s*\\d{1,3}(\\.\\d{1,3})?\\s*$"), type("number"))));

  static final List<FieldSpec> DISK =
      List.of(new FieldSpec("size", "The disk size, e.g. 100GB or 500GB...", ref("memoryRange")));

  private ResourceFields() {}
}
