package dev.bosun.model.config;

import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/**
 * Binds the top-level mapping of a {@code type: service} file to a {@link ServiceConfiguration}:
 * its {@code commands}, {@code port}, {@code replicas}, {@code scaling}, {@code probes}, {@code
 * auth}, {@code model}, {@code rate_limits} and {@code strip_prefix}, with the fields every run
 * shares read by {@link RunBinder}.
 */
final class ServiceBinder {
  private static final String DURATION = "a duration such as 60s, 5m or 1h30m";

  private final RunBinder run;
  private final NodeReader reader;

  private ServiceBinder(ErrorCollector errors) {
    this.run = new RunBinder(errors);
    this.reader = run.reader();
  }

  /** The configuration, or null when errors were reported. */
  static ServiceConfiguration bind(YamlNode.Mapping root, ErrorCollector errors) {
    ServiceBinder binder = new ServiceBinder(errors);
    return binder.run.bind(
        root, ServiceFields.SERVICE, ServiceFields.SERVICE_UNSUPPORTED, binder::own);
  }

  private Function<RunBinder.RunFields, ServiceConfiguration> own(MappingReader fields) {
    List<String> commands =
        run.requiredCommands(
            fields, "that start the server, e.g. commands: [\"python -m http.server 8000\"]");
    ServiceFieldRules.ServicePort port =
        required(
            fields,
            "port",
            "the port the service's replicas listen on, e.g. port: 8000",
            (node, path) ->
                reader.parsed(node, path, "a port such as 8000", ServiceFieldRules::servicePort));
    YamlNode replicasNode = fields.take("replicas");
    ReplicaRange replicas =
        replicasNode == null
            ? null
            : reader.parsed(
                replicasNode, fields.pathOf("replicas"), ReplicaRange.FORM, ReplicaRange::parse);
    ScalingSpec scaling = fields.optional("scaling", this::scaling);
    checkScaling(fields, replicasNode, replicas, scaling);
    List<ProbeSpec> probes = fields.optional("probes", this::probes);
    Boolean auth = fields.optional("auth", reader::bool);
    ModelSpec model = fields.optional("model", this::model);
    List<RateLimitSpec> rateLimits = fields.optional("rate_limits", this::rateLimits);
    Boolean stripPrefix = fields.optional("strip_prefix", reader::bool);
    return shared ->
        new ServiceConfiguration(
            shared.name(),
            commands,
            port.port(),
            port.publicPort(),
            replicas,
            scaling,
            probes,
            !Boolean.FALSE.equals(auth),
            model,
            rateLimits,
            !Boolean.FALSE.equals(stripPrefix),
            shared.env(),
            shared.workingDir(),
            shared.shell(),
            shared.resources(),
            shared.priority(),
            shared.retry(),
            shared.maxDuration(),
            shared.stopDuration(),
            shared.fleets(),
            shared.tags(),
            shared.preemptible(),
            shared.backends(),
            shared.instanceTypes(),
            shared.maxPrice(),
            shared.container());
  }

  /**
   * A range of replicas needs scaling, and scaling needs a range; checked once both were read
   * without errors.
   */
  private void checkScaling(
      MappingReader fields, YamlNode replicasNode, ReplicaRange replicas, ScalingSpec scaling) {
    boolean replicasGiven = replicasNode != null;
    if (replicasGiven && replicas == null || fields.isGiven("scaling") && scaling == null) {
      return; // already reported
    }
    ReplicaRange range = replicasGiven ? replicas : ReplicaRange.ONE;
    if (!range.isFixed() && scaling == null) {
      reader.report(
          replicasNode, fields.pathOf("scaling"), ServiceFieldRules.rangeNeedsScaling(range));
    } else if (range.isFixed() && scaling != null) {
      reader
          .errors()
          .report(
              fields.keyPosition("scaling"),
              fields.pathOf("scaling"),
              ServiceFieldRules.scalingNeedsRange(range, replicasGiven));
    }
  }

  private ScalingSpec scaling(YamlNode node, FieldPath path) {
    return fromMapping(
        node,
        path,
        "a mapping such as {metric: rps, target: 10}",
        ServiceFields.SCALING,
        fields -> scaling(fields));
  }

  private java.util.function.Supplier<ScalingSpec> scaling(MappingReader fields) {
    String metric =
        required(
            fields,
            "metric",
            "what to scale on, metric: rps (requests per second)",
            (item, at) ->
                reader.parsed(
                    item,
                    at,
                    "a metric: " + String.join(", ", ScalingSpec.METRICS),
                    ServiceFieldRules::metric));
    Double target =
        required(
            fields,
            "target",
            "the requests per second each replica should get, e.g. target: 10",
            (item, at) -> positive(item, at, "target", "10"));
    Duration window =
        fields.optional(
            "window",
            (item, at) ->
                reader.parsed(
                    item,
                    at,
                    DURATION,
                    text -> ServiceFieldRules.window(DurationGrammar.parse(text))));
    Duration scaleUpDelay = fields.optional("scale_up_delay", this::duration);
    Duration scaleDownDelay = fields.optional("scale_down_delay", this::duration);
    return () -> new ScalingSpec(metric, target, window, scaleUpDelay, scaleDownDelay);
  }

  private List<ProbeSpec> probes(YamlNode node, FieldPath path) {
    List<ProbeSpec> probes =
        reader.list(
            node, path, "a list of probes such as [{type: http, url: /health}]", this::probe);
    if (probes != null && probes.size() > ServiceFieldRules.MAX_PROBES) {
      reader.report(node, path, ServiceFieldRules.tooManyProbes(probes.size()));
      return null;
    }
    return probes;
  }

  private ProbeSpec probe(YamlNode node, FieldPath path) {
    YamlNode.Mapping mapping =
        reader.mapping(node, path, "a probe such as {type: http, url: /health}");
    if (mapping == null) {
      return null;
    }
    int before = reader.errors().count();
    MappingReader fields = new MappingReader(mapping, path, ServiceFields.PROBE, reader.errors());
    String type =
        required(
            fields,
            "type",
            "the kind of probe, type: http",
            (item, at) ->
                reader.parsed(
                    item,
                    at,
                    "a probe type: " + String.join(", ", ProbeSpec.TYPES),
                    ServiceFieldRules::probeType));
    String url =
        fields.optional(
            "url",
            (item, at) ->
                reader.parsed(
                    item,
                    at,
                    "a path such as /health",
                    text -> ServiceFieldRules.path("url", text)));
    String method =
        fields.optional(
            "method",
            (item, at) ->
                reader.parsed(
                    item,
                    at,
                    "an HTTP method: " + String.join(", ", ProbeSpec.METHODS),
                    ServiceFieldRules::method));
    List<ProbeSpec.Header> headers = fields.optional("headers", this::headers);
    YamlNode bodyNode = fields.take("body");
    String body =
        bodyNode == null
            ? null
            : reader.text(bodyNode, fields.pathOf("body"), "the request body as text");
    Duration timeout =
        fields.optional("timeout", (item, at) -> atLeastASecond(item, at, "timeout"));
    Duration interval =
        fields.optional("interval", (item, at) -> atLeastASecond(item, at, "interval"));
    Integer readyAfter =
        fields.optional(
            "ready_after",
            (item, at) ->
                wholeNumber(item, at, "a whole number from 1", ServiceFieldRules::readyAfter));
    fields.finish();
    if (body != null) {
      try {
        ServiceFieldRules.body(method == null ? ProbeSpec.DEFAULT_METHOD : method);
      } catch (IllegalArgumentException e) {
        reader.report(bodyNode, fields.pathOf("body"), e.getMessage());
      }
    }
    if (reader.errors().count() > before) {
      return null;
    }
    return built(
        node,
        path,
        () ->
            new ProbeSpec(
                type,
                url,
                method,
                headers,
                body,
                timeout,
                interval,
                readyAfter == null ? ProbeSpec.DEFAULT_READY_AFTER : readyAfter));
  }

  private List<ProbeSpec.Header> headers(YamlNode node, FieldPath path) {
    return reader.list(
        node,
        path,
        "a list of headers such as [{name: Authorization, value: Bearer x}]",
        (item, at) -> {
          YamlNode.Mapping mapping =
              reader.mapping(item, at, "a header such as {name: Authorization, value: Bearer x}");
          if (mapping == null) {
            return null;
          }
          int before = reader.errors().count();
          MappingReader fields =
              new MappingReader(mapping, at, ServiceFields.PROBE_HEADER, reader.errors());
          String name =
              required(
                  fields,
                  "name",
                  "the header's name, e.g. name: Authorization",
                  (value, where) ->
                      reader.parsed(
                          value,
                          where,
                          "a header name such as Authorization",
                          ServiceFieldRules::headerName));
          String text =
              required(
                  fields,
                  "value",
                  "the header's value, e.g. value: Bearer x",
                  (value, where) -> reader.text(value, where, "the header's value as text"));
          fields.finish();
          if (reader.errors().count() > before) {
            return null;
          }
          return built(item, fields.pathOf("value"), () -> new ProbeSpec.Header(name, text));
        });
  }

  private ModelSpec model(YamlNode node, FieldPath path) {
    if (!(node instanceof YamlNode.Mapping mapping)) {
      return reader.parsed(
          node,
          path,
          "a model name such as meta-llama/Meta-Llama-3.1-8B-Instruct, or a mapping with name",
          text -> ModelSpec.named(ServiceFieldRules.modelName(text)));
    }
    int before = reader.errors().count();
    MappingReader fields =
        new MappingReader(
            mapping, path, ServiceFields.MODEL, ServiceFields.MODEL_UNSUPPORTED, reader.errors());
    fields.optional(
        "type",
        (item, at) ->
            reader.parsed(
                item,
                at,
                "a model type: " + String.join(", ", ModelSpec.TYPES),
                ServiceFieldRules::modelType));
    String name =
        required(
            fields,
            "name",
            "the model's name, e.g. name: meta-llama/Meta-Llama-3.1-8B-Instruct",
            (item, at) ->
                reader.parsed(
                    item,
                    at,
                    "a model name such as meta-llama/Meta-Llama-3.1-8B-Instruct",
                    ServiceFieldRules::modelName));
    fields.optional(
        "format",
        (item, at) ->
            reader.parsed(
                item,
                at,
                "a model format: " + String.join(", ", ModelSpec.FORMATS),
                ServiceFieldRules::modelFormat));
    String prefix =
        fields.optional(
            "prefix",
            (item, at) ->
                reader.parsed(
                    item,
                    at,
                    "a path such as /v1",
                    text -> ServiceFieldRules.path("prefix", text)));
    fields.finish();
    if (reader.errors().count() > before) {
      return null;
    }
    return built(node, path, () -> new ModelSpec(name, prefix));
  }

  private List<RateLimitSpec> rateLimits(YamlNode node, FieldPath path) {
    List<RateLimitSpec> limits =
        reader.list(
            node, path, "a list of rate limits such as [{prefix: /, rps: 10}]", this::rateLimit);
    if (limits == null) {
      return null;
    }
    YamlNode.Sequence items = (YamlNode.Sequence) node;
    boolean duplicates = false;
    for (int i = 0; i < limits.size(); i++) {
      for (int j = 0; j < i; j++) {
        if (limits.get(i).sameScope(limits.get(j))) {
          reader.report(
              items.items().get(i),
              path.item(i),
              ServiceFieldRules.duplicateRateLimit(limits.get(i), path.item(j).text()));
          duplicates = true;
          break;
        }
      }
    }
    return duplicates ? null : limits;
  }

  private RateLimitSpec rateLimit(YamlNode node, FieldPath path) {
    return fromMapping(
        node,
        path,
        "a rate limit such as {prefix: /, rps: 10}",
        ServiceFields.RATE_LIMIT,
        fields -> rateLimit(fields));
  }

  private java.util.function.Supplier<RateLimitSpec> rateLimit(MappingReader fields) {
    String prefix =
        fields.optional(
            "prefix",
            (item, at) ->
                reader.parsed(
                    item,
                    at,
                    "a path such as /v1",
                    text -> ServiceFieldRules.path("prefix", text)));
    RateLimitSpec.Key key = fields.optional("key", this::key);
    Double rps =
        required(
            fields,
            "rps",
            "the requests per second each key may send, e.g. rps: 10",
            (item, at) -> positive(item, at, "rps", "10"));
    Integer burst =
        fields.optional(
            "burst",
            (item, at) -> wholeNumber(item, at, "a whole number from 0", ServiceFieldRules::burst));
    return () -> new RateLimitSpec(prefix, key, rps, burst == null ? 0 : burst);
  }

  /**
   * Reads a mapping against its field table: {@code read} takes the fields and returns how to build
   * the value, which is built (its own rules checked at {@code path}) only when reading the mapping
   * reported no error.
   */
  private <T> T fromMapping(
      YamlNode node,
      FieldPath path,
      String expected,
      List<FieldSpec> table,
      java.util.function.Function<MappingReader, java.util.function.Supplier<T>> read) {
    YamlNode.Mapping mapping = reader.mapping(node, path, expected);
    if (mapping == null) {
      return null;
    }
    int before = reader.errors().count();
    MappingReader fields = new MappingReader(mapping, path, table, reader.errors());
    java.util.function.Supplier<T> build = read.apply(fields);
    fields.finish();
    return reader.errors().count() > before ? null : built(node, path, build);
  }

  private RateLimitSpec.Key key(YamlNode node, FieldPath path) {
    YamlNode.Mapping mapping =
        reader.mapping(
            node, path, "a key such as {type: ip_address} or {type: header, header: X-Api-Key}");
    if (mapping == null) {
      return null;
    }
    int before = reader.errors().count();
    MappingReader fields =
        new MappingReader(mapping, path, ServiceFields.RATE_LIMIT_KEY, reader.errors());
    String type =
        required(
            fields,
            "type",
            "what requests are counted by: ip_address, or header with header: NAME",
            (item, at) ->
                reader.parsed(
                    item,
                    at,
                    "a key type: " + String.join(", ", RateLimitSpec.Key.TYPES),
                    ServiceFieldRules::keyType));
    YamlNode headerNode = fields.take("header");
    String header =
        headerNode == null
            ? null
            : reader.parsed(
                headerNode,
                fields.pathOf("header"),
                "a header name such as X-Api-Key",
                ServiceFieldRules::headerName);
    fields.finish();
    if (RateLimitSpec.Key.HEADER.equals(type) && headerNode == null) {
      reader
          .errors()
          .report(
              fields.position(),
              fields.pathOf("header"),
              "field 'header' is required in "
                  + path.text()
                  + " of type header: the header whose value is the key, e.g. header: X-Api-Key");
    } else if (RateLimitSpec.Key.IP_ADDRESS.equals(type) && headerNode != null) {
      reader
          .errors()
          .report(
              fields.keyPosition("header"),
              fields.pathOf("header"),
              "a key of type ip_address takes no header; write {type: header, header: "
                  + (header == null ? "NAME" : header)
                  + "} to count requests by a header");
    }
    if (reader.errors().count() > before) {
      return null;
    }
    return built(node, path, () -> new RateLimitSpec.Key(type, header));
  }

  /** A number above 0 from a YAML number or text holding one. */
  private Double positive(YamlNode node, FieldPath path, String field, String example) {
    return reader.parsed(
        node,
        path,
        "a number above 0, e.g. " + example,
        text -> ServiceFieldRules.parsePositive(field, text, example));
  }

  /** A whole number that passes {@code rule}, whose message is reported at the number. */
  private Integer wholeNumber(
      YamlNode node, FieldPath path, String what, java.util.function.IntUnaryOperator rule) {
    Integer value = reader.integer(node, path, what);
    if (value == null) {
      return null;
    }
    try {
      return rule.applyAsInt(value);
    } catch (IllegalArgumentException e) {
      reader.report(node, path, e.getMessage());
      return null;
    }
  }

  private Duration duration(YamlNode node, FieldPath path) {
    return reader.parsed(node, path, DURATION, DurationGrammar::parse);
  }

  private Duration atLeastASecond(YamlNode node, FieldPath path, String field) {
    return reader.parsed(
        node,
        path,
        DURATION,
        text -> ServiceFieldRules.atLeastASecond(field, DurationGrammar.parse(text)));
  }

  /**
   * A required field of a nested mapping through {@code read}; null after reporting it missing
   * (where the mapping starts) or bad.
   */
  private <T> T required(
      MappingReader fields, String field, String what, NodeReader.ItemReader<T> read) {
    YamlNode node = fields.take(field);
    FieldPath path = fields.pathOf(field);
    if (node == null) {
      String where = fields.path().text().isEmpty() ? "" : " in " + fields.path().text();
      reader
          .errors()
          .report(
              fields.position(), path, "field '" + field + "' is required" + where + ": " + what);
      return null;
    }
    return read.read(node, path);
  }

  /**
   * The record {@code build} makes, or null after reporting its message at {@code node}: the
   * records check what the binder checked, so this only reports a rule the binder missed.
   */
  private <T> T built(YamlNode node, FieldPath path, java.util.function.Supplier<T> build) {
    try {
      return build.get();
    } catch (IllegalArgumentException e) {
      reader.report(node, path, e.getMessage());
      return null;
    }
  }
}
