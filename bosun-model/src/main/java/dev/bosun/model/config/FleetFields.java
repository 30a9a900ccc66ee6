package dev.bosun.model.config;

import static dev.bosun.model.config.SchemaTypes.arrayOf;
import static dev.bosun.model.config.SchemaTypes.enumOf;
import static dev.bosun.model.config.SchemaTypes.integer;
import static dev.bosun.model.config.SchemaTypes.oneOf;
import static dev.bosun.model.config.SchemaTypes.ref;
import static dev.bosun.model.config.SchemaTypes.string;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import java.util.List;

/**
 * The field tables of fleet files, as {@link ConfigurationFields} holds those of run files: the
 * binders read only these fields and {@link ConfigurationSchema} is generated from them.
 */
final class FleetFields {
  static final String PORT_DESCRIPTION = "The SSH port, from 1 to 65535; 22 when left out.";
  private static final String HOSTNAME_DESCRIPTION =
      "The host's name or IP address, as the server reaches it over SSH.";
  private static final String IDENTITY_FILE_DESCRIPTION =
      "The path of the private key to log in with, e.g. ~/.ssh/id_ed25519; read where bosun apply"
          + " runs.";
  private static final String USER_PATTERN = "^[^\\s@:]{1,64}$";

  static final List<FieldSpec> FLEET =
      List.of(
          new FieldSpec(
              "type", "The kind of configuration: a fleet of hosts.", enumOf(List.of("fleet"))),
          new FieldSpec(
              "name",
              "The fleet's name, required: a lower-case letter, then 1 to 40 lower-case letters,"
                  + " digits or '-'.",
              string(RunFieldRules.NAME_PATTERN)),
          new FieldSpec(
              "placement",
              "any (the default): the hosts need not reach each other; cluster: they share a fast"
                  + " network, as multi-node runs need.",
              enumOf(
                  Arrays.stream(FleetPlacement.values()).map(FleetPlacement::yamlName).toList())),
          new FieldSpec(
              "nodes",
              "The number of instances, e.g. 2 or 1..4. An SSH fleet has one per host, so it may be"
                  + " left out.",
              ref("intRange")),
          new FieldSpec(
              "blocks",
              "How many equal shares each host splits into so that several runs can share it: a"
                  + " number that divides the host's GPUs, or auto for one per GPU; 1 when left out.",
              ref("blocks")),
          new FieldSpec(
              "env",
              "Environment variables for the fleet's hosts: a list of NAME=value or NAME, or a"
                  + " mapping NAME: value.",
              ref("env")),
          new FieldSpec(
              "resources", "The resources each instance of the fleet must have.", ref("resources")),
          new FieldSpec(
              "idle_duration",
              "How long an instance may stay idle before it is released, e.g. 1h, or off; SSH hosts"
                  + " are never released for being idle.",
              ref("timeLimit")),
          new FieldSpec(
              "ssh_config",
              "The hosts to turn into the fleet's instances and how to log in to them over SSH.",
              ref("sshConfig")),
          new FieldSpec("tags", "Labels for the fleet, shown in listings.", ref("tags")));

  private static final String CLOUD = "cloud fleets come in a later release";

  static final List<UnsupportedField> FLEET_UNSUPPORTED =
      List.of(
          new UnsupportedField("backends", CLOUD),
          new UnsupportedField("regions", CLOUD),
          new UnsupportedField("availability_zones", CLOUD),
          new UnsupportedField("instance_types", CLOUD),
          new UnsupportedField("spot_policy", CLOUD),
          new UnsupportedField("retry", CLOUD),
          new UnsupportedField("max_price", CLOUD),
          new UnsupportedField("reservation", CLOUD),
          new UnsupportedField("termination_policy", CLOUD),
          new UnsupportedField("termination_idle_time", CLOUD));

  static final List<UnsupportedField> SSH_UNSUPPORTED =
      List.of(
          new UnsupportedField(
              "ssh_key", "give identity_file, the path of the private key, instead"));

  static final List<FieldSpec> SSH_CONFIG =
      List.of(
          new FieldSpec(
              "user", "The user to log in as on every host, unless a host gives its own.", user()),
          new FieldSpec("port", PORT_DESCRIPTION, port()),
          new FieldSpec(
              "identity_file",
              IDENTITY_FILE_DESCRIPTION + " Used for every host unless a host gives its own.",
              identityFile()),
          new FieldSpec(
              "proxy_jump",
              "A jump host to reach every host through, as ssh -J does, unless a host gives its"
                  + " own.",
              ref("proxyJump")),
          new FieldSpec(
              "hosts",
              "The hosts: each a host name or IP address, or a mapping that also overrides the"
                  + " settings above for that host.",
              arrayOf(oneOf(hostname(), ref("sshHost")), 1)),
          new FieldSpec(
              "network",
              "The network, in CIDR form such as 10.0.0.0/24, whose address on each host is the"
                  + " host's internal IP.",
              string("^\\s*[0-9A-Fa-f:.]+(/\\d{1,3})?\\s*$")));

  static final List<FieldSpec> SSH_HOST =
      List.of(
          new FieldSpec("hostname", HOSTNAME_DESCRIPTION, hostname()),
          new FieldSpec("port", PORT_DESCRIPTION, port()),
          new FieldSpec("user", "The user to log in as; ssh_config.user when left out.", user()),
          new FieldSpec(
              "identity_file",
              IDENTITY_FILE_DESCRIPTION + " ssh_config.identity_file when left out.",
              identityFile()),
          new FieldSpec(
              "internal_ip",
              "The IP address the fleet's hosts reach this host on; detected when left out.",
              string("^[0-9A-Fa-f:.]+$")),
          new FieldSpec(
              "blocks",
              "How many shares this host splits into; the fleet's blocks when left out.",
              ref("blocks")),
          new FieldSpec(
              "proxy_jump",
              "A jump host for this host; ssh_config.proxy_jump when left out.",
              ref("proxyJump")));

  static final List<FieldSpec> SSH_PROXY_JUMP =
      List.of(
          new FieldSpec("hostname", "The jump host's name or IP address.", hostname()),
          new FieldSpec("port", PORT_DESCRIPTION, port()),
          new FieldSpec(
              "user",
              "The user to log in as on the jump host; ssh_config.user when left out.",
              user()),
          new FieldSpec(
              "identity_file",
              IDENTITY_FILE_DESCRIPTION + " ssh_config.identity_file when left out.",
              identityFile()));

  private FleetFields() {}

  private static ObjectNode port() {
    return oneOf(integer(1, SshFieldRules.MAX_PORT), string("^\\s*\\d{1,5}\\s*$"));
  }

  private static ObjectNode hostname() {
    return string("^[^\\s@]+$");
  }

  private static ObjectNode user() {
    return string(USER_PATTERN);
  }

  private static ObjectNode identityFile() {
    return string().put("minLength", 1);
  }
}
