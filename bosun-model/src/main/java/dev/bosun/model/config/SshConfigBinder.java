package dev.bosun.model.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Binds a fleet's {@code ssh_config}: the fleet-wide settings, the hosts in their two forms, and
 * the jump hosts. Beyond each value, it checks what only the whole list shows, each at the host it
 * concerns: a host listed twice, and a host or jump host left without a user or identity file.
 */
final class SshConfigBinder {
  private static final String EXAMPLE =
      "{user: ubuntu, identity_file: ~/.ssh/id_ed25519, hosts: [10.0.0.5, 10.0.0.6]}";
  private static final String PROXY_JUMP_EXAMPLE =
      "{hostname: bastion.example.com, user: ubuntu, identity_file: ~/.ssh/bastion_key}";

  private final NodeReader reader;

  SshConfigBinder(NodeReader reader) {
    this.reader = reader;
  }

  /** Reads {@code blocks}: {@code auto} or a whole number of at least 1. */
  static NodeReader.ItemReader<Blocks> blocks(NodeReader reader) {
    return (node, path) -> reader.parsed(node, path, Blocks.FORM, Blocks::parse);
  }

  /** One host as written, with where it was written. */
  private record BoundHost(SshHost host, YamlNode node, FieldPath path, YamlNode proxyJumpNode) {}

  /** A jump host as written, with where it was written. */
  private record BoundJump(SshProxyJump jump, YamlNode node, FieldPath path) {}

  /** The configuration, or null after reporting errors. */
  SshConfig bind(YamlNode node, FieldPath path) {
    YamlNode.Mapping mapping =
        reader.mapping(node, path, "a mapping of hosts and how to log in to them, e.g. " + EXAMPLE);
    if (mapping == null) {
      return null;
    }
    int before = errorCount();
    MappingReader fields =
        new MappingReader(
            mapping, path, FleetFields.SSH_CONFIG, FleetFields.SSH_UNSUPPORTED, reader.errors());
    int beforeUser = errorCount();
    String user = fields.optional("user", this::user);
    boolean userKnown = errorCount() == beforeUser;
    int beforePort = errorCount();
    Integer port = fields.optional("port", this::port);
    boolean portKnown = errorCount() == beforePort;
    int beforeKey = errorCount();
    String identityFile = fields.optional("identity_file", this::identityFile);
    boolean keyKnown = errorCount() == beforeKey;
    YamlNode jumpNode = fields.take("proxy_jump");
    BoundJump proxyJump =
        jumpNode == null
            ? null
            : new BoundJump(
                proxyJump(jumpNode, fields.pathOf("proxy_jump")),
                jumpNode,
                fields.pathOf("proxy_jump"));
    YamlNode hostsNode = fields.take("hosts");
    List<BoundHost> hosts = hosts(hostsNode, fields);
    IpNetwork network =
        fields.optional(
            "network", (value, at) -> reader.parsed(value, at, IpNetwork.FORM, IpNetwork::parse));
    fields.finish();
    if (hosts != null) {
      if (portKnown) {
        reportDuplicates(hosts, port);
      }
      if (userKnown && user == null) {
        reportMissing("user", "the user to log in as, e.g. user: ubuntu", hosts, fields);
      }
      if (keyKnown && identityFile == null) {
        reportMissing(
            "identity_file",
            "the private key to log in with, e.g. identity_file: ~/.ssh/id_ed25519",
            hosts,
            fields);
      }
      checkJumps(hosts, proxyJump, userKnown ? user : "", keyKnown ? identityFile : "");
    }
    if (errorCount() > before) {
      return null;
    }
    try {
      return new SshConfig(
          user,
          port,
          identityFile,
          proxyJump == null ? null : proxyJump.jump(),
          hosts.stream().map(BoundHost::host).toList(),
          network);
    } catch (IllegalArgumentException e) {
      // The checks above mirror the record's; this keeps the parser's promise if they drift apart.
      reader.report(mapping, path, e.getMessage());
      return null;
    }
  }

  private List<BoundHost> hosts(YamlNode node, MappingReader fields) {
    FieldPath path = fields.pathOf("hosts");
    if (node == null) {
      reader
          .errors()
          .report(
              fields.position(),
              path,
              "field 'hosts' is required: the hosts of the fleet, each a host name or IP address"
                  + " or a mapping with hostname, e.g. hosts: [10.0.0.5, gpu-2.example.com]");
      return null;
    }
    YamlNode.Sequence sequence =
        reader.sequence(node, path, "a list of host names, IP addresses or host mappings");
    if (sequence == null) {
      return null;
    }
    if (sequence.items().isEmpty()) {
      reader.report(
          node,
          path,
          "hosts must list at least one host, e.g. hosts: [10.0.0.5, gpu-2.example.com]");
      return null;
    }
    List<BoundHost> hosts = new ArrayList<>();
    boolean complete = true;
    for (int i = 0; i < sequence.items().size(); i++) {
      BoundHost host = host(sequence.items().get(i), path.item(i));
      if (host == null) {
        complete = false;
      } else {
        hosts.add(host);
      }
    }
    return complete ? hosts : null;
  }

  private BoundHost host(YamlNode node, FieldPath path) {
    switch (node) {
      case YamlNode.Scalar scalar when !scalar.isNull() -> {
        String hostname = hostname(node, path);
        return hostname == null ? null : new BoundHost(SshHost.of(hostname), node, path, null);
      }
      case YamlNode.Mapping mapping -> {
        return hostMapping(mapping, path);
      }
      default -> {
        reader.report(
            node,
            path,
            "expected a host name, an IP address or a mapping with hostname (e.g. {hostname:"
                + " 10.0.0.5, port: 2222}), found "
                + node.describe());
        return null;
      }
    }
  }

  private BoundHost hostMapping(YamlNode.Mapping mapping, FieldPath path) {
    int before = errorCount();
    MappingReader fields =
        new MappingReader(
            mapping, path, FleetFields.SSH_HOST, FleetFields.SSH_UNSUPPORTED, reader.errors());
    String hostname = requiredHostname(fields, "a host", "- hostname: 10.0.0.5");
    Integer port = fields.optional("port", this::port);
    String user = fields.optional("user", this::user);
    String identityFile = fields.optional("identity_file", this::identityFile);
    String internalIp =
        fields.optional(
            "internal_ip",
            (value, at) ->
                reader.parsed(value, at, IpAddressGrammar.FORM, SshFieldRules::internalIp));
    Blocks blocks = fields.optional("blocks", blocks(reader));
    YamlNode jumpNode = fields.take("proxy_jump");
    SshProxyJump proxyJump =
        jumpNode == null ? null : proxyJump(jumpNode, fields.pathOf("proxy_jump"));
    fields.finish();
    if (errorCount() > before) {
      return null;
    }
    SshHost host = new SshHost(hostname, port, user, identityFile, internalIp, blocks, proxyJump);
    return new BoundHost(host, mapping, path, jumpNode);
  }

  private SshProxyJump proxyJump(YamlNode node, FieldPath path) {
    YamlNode.Mapping mapping =
        reader.mapping(
            node,
            path,
            "a mapping with hostname, user and identity_file, e.g. " + PROXY_JUMP_EXAMPLE);
    if (mapping == null) {
      return null;
    }
    int before = errorCount();
    MappingReader fields =
        new MappingReader(
            mapping,
            path,
            FleetFields.SSH_PROXY_JUMP,
            FleetFields.SSH_UNSUPPORTED,
            reader.errors());
    String hostname = requiredHostname(fields, "proxy_jump", "proxy_jump: " + PROXY_JUMP_EXAMPLE);
    Integer port = fields.optional("port", this::port);
    String user = fields.optional("user", this::user);
    String identityFile = fields.optional("identity_file", this::identityFile);
    fields.finish();
    return errorCount() > before ? null : new SshProxyJump(hostname, port, user, identityFile);
  }

  private String requiredHostname(MappingReader fields, String what, String example) {
    YamlNode node = fields.take("hostname");
    if (node == null) {
      reader
          .errors()
          .report(
              fields.position(),
              fields.pathOf("hostname"),
              "field 'hostname' is required in " + what + ", e.g. " + example);
      return null;
    }
    return hostname(node, fields.pathOf("hostname"));
  }

  /** Reports the second and later listings of one host (same name ignoring case, same port). */
  private void reportDuplicates(List<BoundHost> hosts, Integer port) {
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < hosts.size(); i++) {
      SshHost host = hosts.get(i).host();
      int effectivePort =
          host.port() != null ? host.port() : port != null ? port : SshFieldRules.DEFAULT_PORT;
      Integer first = seen.putIfAbsent(SshFieldRules.identity(host.hostname(), effectivePort), i);
      if (first != null) {
        reader.report(
            hosts.get(i).node(),
            hosts.get(i).path(),
            SshConfig.duplicate(SshFieldRules.describe(host.hostname(), effectivePort), first, i));
      }
    }
  }

  /**
   * Reports hosts that give no {@code field} when {@code ssh_config} gives none either: once at
   * {@code ssh_config} when no host gives it, else at each host that does not.
   */
  private void reportMissing(
      String field, String meaning, List<BoundHost> hosts, MappingReader fields) {
    List<BoundHost> without =
        hosts.stream()
            .filter(
                bound ->
                    (field.equals("user") ? bound.host().user() : bound.host().identityFile())
                        == null)
            .toList();
    if (without.isEmpty()) {
      return;
    }
    if (without.size() == hosts.size()) {
      reader
          .errors()
          .report(
              fields.position(),
              fields.pathOf(field),
              "field '"
                  + field
                  + "' is required: "
                  + meaning
                  + " (or give "
                  + field
                  + " in every host)");
      return;
    }
    for (BoundHost bound : without) {
      String where = "hosts" + bound.path().text().substring(bound.path().text().lastIndexOf('['));
      reader.report(
          bound.node(), bound.path(), SshConfig.missing(field, where, bound.host().hostname()));
    }
  }

  /**
   * Reports jump hosts that would have no user or identity file; {@code user} and {@code
   * identityFile} are the fleet-wide ones, or "" when they were wrong (reported already).
   */
  private void checkJumps(
      List<BoundHost> hosts, BoundJump fleetJump, String user, String identityFile) {
    boolean fleetJumpUsed = false;
    for (BoundHost bound : hosts) {
      SshProxyJump own = bound.host().proxyJump();
      if (own == null) {
        fleetJumpUsed = true;
      } else {
        checkJump(
            new BoundJump(own, bound.proxyJumpNode(), bound.path().key("proxy_jump")),
            user,
            identityFile);
      }
    }
    if (fleetJump != null && fleetJump.jump() != null && fleetJumpUsed) {
      checkJump(fleetJump, user, identityFile);
    }
  }

  private void checkJump(BoundJump bound, String user, String identityFile) {
    SshProxyJump jump = bound.jump();
    if (jump.user() == null && user == null) {
      reader.report(
          bound.node(), bound.path(), SshConfig.missing("user", "proxy_jump", jump.hostname()));
    }
    if (jump.identityFile() == null && identityFile == null) {
      reader.report(
          bound.node(),
          bound.path(),
          SshConfig.missing("identity_file", "proxy_jump", jump.hostname()));
    }
  }

  private String hostname(YamlNode node, FieldPath path) {
    return reader.parsed(node, path, "a host name or IP address", SshFieldRules::hostname);
  }

  private String user(YamlNode node, FieldPath path) {
    return reader.parsed(node, path, "a user name", SshFieldRules::user);
  }

  private String identityFile(YamlNode node, FieldPath path) {
    return reader.parsed(node, path, "the path of a private key", SshFieldRules::identityFile);
  }

  private Integer port(YamlNode node, FieldPath path) {
    Integer port = reader.integer(node, path, SshFieldRules.PORT_FORM);
    if (port == null) {
      return null;
    }
    try {
      return SshFieldRules.port(port);
    } catch (IllegalArgumentException e) {
      reader.report(node, path, e.getMessage());
      return null;
    }
  }

  private int errorCount() {
    return reader.errors().count();
  }
}
