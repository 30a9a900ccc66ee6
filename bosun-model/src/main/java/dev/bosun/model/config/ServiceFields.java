package dev.bosun.model.config;

import static dev.bosun.model.config.SchemaTypes.arrayOf;
import static dev.bosun.model.config.SchemaTypes.enumOf;
import static dev.bosun.model.config.SchemaTypes.integer;
import static dev.bosun.model.config.SchemaTypes.nonNegativeInteger;
import static dev.bosun.model.config.SchemaTypes.oneOf;
import static dev.bosun.model.config.SchemaTypes.positiveInteger;
import static dev.bosun.model.config.SchemaTypes.positiveNumber;
import static dev.bosun.model.config.SchemaTypes.ref;
import static dev.bosun.model.config.SchemaTypes.string;
import static dev.bosun.model.config.SchemaTypes.type;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The field tables of {@code type: service} files: the service's own fields, its table (a task's
 * fields without those about ports and several nodes), what does not apply to services, and the
 * tables of {@code scaling}, {@code probes}, {@code model} and {@code rate_limits}.
 */
final class ServiceFields {
  /** The fields only services have, in the order the service's table lists them. */
  private static final List<FieldSpec> SERVICE_OWN =
      List.of(
          new FieldSpec(
              "port",
              "The port the replicas listen on, e.g. 8000; dstack's \"80:8000\" is read too, and"
                  + " its second port is the replicas'.",
              oneOf(integer(1, 65535), string(ServiceFieldRules.SERVICE_PORT_PATTERN))),
          new FieldSpec(
              "replicas",
              "How many replicas run: a number from 1 to "
                  + ReplicaRange.MAX_REPLICAS
                  + ", or a range such as 1..4 (0..4 to run none while the service gets no"
                  + " requests) that scaling moves within. 1 when left out.",
              oneOf(integer(1, ReplicaRange.MAX_REPLICAS), string(SchemaTypes.REPLICAS_PATTERN))),
          new FieldSpec(
              "scaling",
              "How a range of replicas follows traffic: a mapping with metric: rps and target, the"
                  + " requests per second each replica should get. Needs replicas as a range.",
              ref("scaling")),
          new FieldSpec(
              "probes",
              "Readiness probes: HTTP requests to each replica; a replica gets traffic once they"
                  + " succeed. At most "
                  + ServiceFieldRules.MAX_PROBES
                  + ".",
              arrayOf(ref("probe"), 0).put("maxItems", ServiceFieldRules.MAX_PROBES)),
          new FieldSpec(
              "model",
              "The model the service serves through the OpenAI-compatible endpoint: its name, e.g."
                  + " meta-llama/Meta-Llama-3.1-8B-Instruct, or a mapping with name (and type:"
                  + " chat, format: openai, prefix: /v1).",
              oneOf(
                  string(ServiceFieldRules.MODEL_NAME_PATTERN)
                      .put("maxLength", ServiceFieldRules.MAX_MODEL_NAME),
                  ref("model"))),
          new FieldSpec(
              "auth",
              "Whether requests through the proxy need a Bosun token; true when left out.",
              type("boolean")),
          new FieldSpec(
              "rate_limits",
              "Limits on the requests per second the proxy passes on, per path prefix and per"
                  + " client IP address or header value; the others are answered with 429.",
              arrayOf(ref("rateLimit"), 0)),
          new FieldSpec(
              "strip_prefix",
              "Whether the proxy removes /proxy/services/<project>/<run> from the path before"
                  + " passing a request on; true when left out.",
              type("boolean")));

  /** The task fields that do not apply to a service; {@link #SERVICE_UNSUPPORTED} says why. */
  private static final List<String> NOT_FOR_SERVICES =
      List.of("ports", "nodes", "startup_order", "stop_criteria");

  /**
   * The fields of a service: a task's, without {@code ports} and those about several nodes, and
   * with the service's own after {@code commands}.
   */
  static final List<FieldSpec> SERVICE = service();

  private static List<FieldSpec> service() {
    List<FieldSpec> fields = new ArrayList<>();
    for (FieldSpec field : ConfigurationFields.TASK) {
      switch (field.name()) {
        case "type" ->
            fields.add(
                new FieldSpec(
                    "type",
                    "The kind of configuration: service, for replicas of an HTTP server behind one"
                        + " URL of the server's proxy. This version reads and checks services; the"
                        + " server does not run them yet.",
                    enumOf(List.of(ServiceConfiguration.TYPE))));
        case "commands" -> {
          fields.add(
              new FieldSpec(
                  "commands",
                  "The shell commands that start the server, in order, in one shell session; the"
                      + " server must listen on port.",
                  field.schema()));
          fields.addAll(SERVICE_OWN);
        }
        default -> {
          if (!NOT_FOR_SERVICES.contains(field.name())) {
            fields.add(field);
          }
        }
      }
    }
    return List.copyOf(fields);
  }

  private static final String GATEWAYS =
      "the server's proxy serves services; gateways come in a later release";

  /**
   * A task's unsupported fields, dstack's {@code https} and {@code gateway}, and the fields of
   * other run types that do not apply to a service, each with what to do instead.
   */
  static final List<UnsupportedField> SERVICE_UNSUPPORTED =
      Stream.concat(
              ConfigurationFields.TASK_UNSUPPORTED.stream(),
              Stream.of(
                  new UnsupportedField("https", GATEWAYS),
                  new UnsupportedField("gateway", GATEWAYS),
                  UnsupportedField.notApplicable(
                      "ports",
                      "a service is reached through the server's proxy, not through forwarded"
                          + " ports; give the port its replicas listen on as port: 8000"),
                  UnsupportedField.notApplicable(
                      "nodes",
                      "each replica of a service is one job on one host; give replicas for more"
                          + " of them, or use type: task for a multi-node run"),
                  UnsupportedField.notApplicable(
                      "startup_order",
                      "the replicas of a service start independently; startup_order is for"
                          + " multi-node tasks"),
                  UnsupportedField.notApplicable(
                      "stop_criteria",
                      "a service runs until it is stopped; stop_criteria is for multi-node tasks"),
                  UnsupportedField.notApplicable(
                      "ide",
                      "a service has no IDE; use type: dev-environment to work on a host over SSH"),
                  UnsupportedField.notApplicable(
                      "init", "a service runs commands; put setup lines at the start of commands"),
                  UnsupportedField.notApplicable(
                      "inactivity_duration",
                      "a service is not stopped for want of SSH sessions; to run no replicas while"
                          + " it gets no requests, give replicas: 0..N with scaling")))
          .toList();

  /** The fields of {@code scaling}. */
  static final List<FieldSpec> SCALING =
      List.of(
          new FieldSpec(
              "metric",
              "What to scale on: rps, the requests per second the proxy counts.",
              enumOf(ScalingSpec.METRICS)),
          new FieldSpec(
              "target",
              "The requests per second each replica should get: the service runs rps / target"
                  + " replicas, rounded up, within its range.",
              positiveNumber()),
          new FieldSpec(
              "window",
              "How far back requests are averaged, at least 1s; 60s when left out.",
              ref("duration")),
          new FieldSpec(
              "scale_up_delay",
              "The least time after the last change before replicas are added; 5m when left out.",
              ref("duration")),
          new FieldSpec(
              "scale_down_delay",
              "The least time after the last change before replicas are removed; 10m when left"
                  + " out.",
              ref("duration")));

  /** The fields of one of {@code probes}. */
  static final List<FieldSpec> PROBE =
      List.of(
          new FieldSpec(
              "type",
              "The kind of probe: http, a request to each replica.",
              enumOf(ProbeSpec.TYPES)),
          new FieldSpec(
              "url",
              "The path (and query) requested, starting with /; / when left out.",
              string(ServiceFieldRules.PATH_PATTERN).put("maxLength", ServiceFieldRules.MAX_PATH)),
          new FieldSpec(
              "method",
              "The HTTP method: get (the default), post, put, patch, delete or head.",
              enumOf(ProbeSpec.METHODS)),
          new FieldSpec(
              "headers",
              "Headers of the request: a list of mappings with name and value.",
              arrayOf(ref("probeHeader"), 0)),
          new FieldSpec("body", "The body of the request; not with get or head.", string()),
          new FieldSpec(
              "timeout",
              "How long to wait for an answer, at least 1s; 10s when left out.",
              ref("duration")),
          new FieldSpec(
              "interval",
              "How long between probes, at least 1s; 15s when left out.",
              ref("duration")),
          new FieldSpec(
              "ready_after",
              "How many successful probes in a row make a replica ready; 1 when left out.",
              positiveInteger()));

  /** The fields of one of a probe's {@code headers}. */
  static final List<FieldSpec> PROBE_HEADER =
      List.of(
          new FieldSpec(
              "name",
              "The header's name, e.g. Authorization.",
              string(ServiceFieldRules.HEADER_NAME_PATTERN)),
          new FieldSpec("value", "The header's value.", string()));

  /** The fields of {@code model} written as a mapping. */
  static final List<FieldSpec> MODEL =
      List.of(
          new FieldSpec("type", "The kind of model: chat.", enumOf(ModelSpec.TYPES)),
          new FieldSpec(
              "name",
              "The model's name, as clients give it in the model field of their requests.",
              string(ServiceFieldRules.MODEL_NAME_PATTERN)
                  .put("maxLength", ServiceFieldRules.MAX_MODEL_NAME)),
          new FieldSpec("format", "The API the replicas speak: openai.", enumOf(ModelSpec.FORMATS)),
          new FieldSpec(
              "prefix",
              "The path under which the replicas answer the OpenAI API; /v1 when left out.",
              string(ServiceFieldRules.PATH_PATTERN).put("maxLength", ServiceFieldRules.MAX_PATH)));

  private static final String TGI =
      "it belongs to dstack's tgi model format; Bosun serves models in the openai format, whose"
          + " servers apply their own chat template";

  /** The fields of dstack's {@code format: tgi} models. */
  static final List<UnsupportedField> MODEL_UNSUPPORTED =
      List.of(
          UnsupportedField.notApplicable("chat_template", TGI),
          UnsupportedField.notApplicable("eos_token", TGI));

  /** The fields of one of {@code rate_limits}. */
  static final List<FieldSpec> RATE_LIMIT =
      List.of(
          new FieldSpec(
              "prefix",
              "The path prefix the limit applies to, starting with /; / (every request) when left"
                  + " out.",
              string(ServiceFieldRules.PATH_PATTERN).put("maxLength", ServiceFieldRules.MAX_PATH)),
          new FieldSpec(
              "key",
              "What requests are counted by: {type: ip_address} (the default) or {type: header,"
                  + " header: NAME}.",
              ref("rateLimitKey")),
          new FieldSpec(
              "rps", "The requests per second each key may send, e.g. 10.", positiveNumber()),
          new FieldSpec(
              "burst",
              "How many requests above the rate a key may send at once; 0 when left out.",
              nonNegativeInteger()));

  /** The fields of a rate limit's {@code key}. */
  static final List<FieldSpec> RATE_LIMIT_KEY =
      List.of(
          new FieldSpec(
              "type",
              "ip_address to count requests by the client's address, header to count them by a"
                  + " header's value.",
              enumOf(RateLimitSpec.Key.TYPES)),
          new FieldSpec(
              "header",
              "The header whose value is the key, with type: header.",
              string(ServiceFieldRules.HEADER_NAME_PATTERN)));

  private ServiceFields() {}
}
