package dev.bosun.model.config;

import java.util.List;
import java.util.Objects;

/**
 * The model a service serves through the OpenAI-compatible endpoint: written as its name ({@code
 * model: meta-llama/Meta-Llama-3.1-8B-Instruct}) or as dstack's mapping {@code {type: chat, name,
 * format: openai, prefix: /v1}}.
 *
 * @param name the model's name, as clients give it in the {@code model} field of their requests
 * @param prefix the path under which the service's replicas answer the OpenAI API; {@link
 *     #DEFAULT_PREFIX} when null
 */
public record ModelSpec(String name, String prefix) {
  /** Where OpenAI-compatible servers such as vLLM answer: {@code /v1/chat/completions}. */
  public static final String DEFAULT_PREFIX = "/v1";

  /** The values the mapping's {@code type} may take. */
  public static final List<String> TYPES = List.of("chat");

  /** The values the mapping's {@code format} may take. */
  public static final List<String> FORMATS = List.of("openai");

  public ModelSpec {
    ServiceFieldRules.modelName(Objects.requireNonNull(name, "name is null"));
    prefix = prefix == null ? DEFAULT_PREFIX : ServiceFieldRules.path("prefix", prefix);
  }

  /** A model with this name, served under {@link #DEFAULT_PREFIX}. */
  public static ModelSpec named(String name) {
    return new ModelSpec(name, null);
  }
}
