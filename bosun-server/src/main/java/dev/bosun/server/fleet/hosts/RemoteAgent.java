package dev.bosun.server.fleet.hosts;

/**
 * Where the agent lives on an SSH host, and the scripts that check the host and keep it running.
 */
final class RemoteAgent {
  static final String HOME = "/var/lib/bosun-agent";
  static final String JAR = HOME + "/bosun.jar";
  static final String DATA = HOME + "/data";
  static final String SUPERVISOR = HOME + "/supervise.sh";
  static final String SUPERVISOR_PID = HOME + "/supervisor.pid";
  static final long MIN_FREE_DISK_KB = 512 * 1024;

  /** Prints the path of a Java 21 or newer, or exits 1: PATH first, then /usr/lib/jvm. */
  static final String FIND_JAVA =
      """
      for j in "$(command -v java 2>/dev/null)" /usr/lib/jvm/*/bin/java; do
        [ -n "$j" ] && [ -x "$j" ] || continue
        v=$("$j" -version 2>&1 | awk -F'"' '/version/ {print $2; exit}')
        m=${v%%.*}
        [ "$m" = 1 ] && m=$(echo "$v" | cut -d. -f2)
        if [ "${m:-0}" -ge 21 ] 2>/dev/null; then echo "$j"; exit 0; fi
      done
      exit 1
      """;

  /**
   * Restarts the agent whenever it exits (where no systemd runs, this small loop is the
   * supervisor); started detached with setsid so it outlives the SSH session.
   */
  static String supervisor(String java) {
    return """
        #!/bin/sh
        # Keeps the Bosun agent running; started by the Bosun server over SSH.
        echo $$ > %s
        while :; do
          "%s" -Xmx256m -XX:+UseSerialGC --enable-native-access=ALL-UNNAMED \\
            -cp %s dev.bosun.agent.AgentMain --data-dir %s >> %s/agent.log 2>&1
          sleep 1
        done
        """
        .formatted(SUPERVISOR_PID, java, JAR, DATA, HOME);
  }

  static final String UNIT = "/etc/systemd/system/bosun-agent.service";

  /**
   * The systemd unit that runs the supervisor where systemd is the init system, so the agent also
   * comes back after a reboot. {@code KillMode=process}: stopping or restarting the unit stops the
   * supervisor only, never the agent's jobs (the agent re-adopts them when it starts again).
   */
  static final String SYSTEMD_UNIT =
      """
      [Unit]
      Description=Bosun agent (installed by the Bosun server over SSH)
      After=network-online.target
      Wants=network-online.target

      [Service]
      ExecStart=/bin/sh %s
      Restart=always
      RestartSec=1
      KillMode=process

      [Install]
      WantedBy=multi-user.target
      """
          .formatted(SUPERVISOR);

  /**
   * Starts the supervisor unless it already runs: as the systemd unit where systemd runs, otherwise
   * detached with setsid so it outlives the SSH session.
   */
  static final String START =
      """
      if [ -f %1$s ] && kill -0 "$(cat %1$s)" 2>/dev/null; then exit 0; fi
      if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then
        cat > %3$s <<'BOSUN_UNIT'
      %4$sBOSUN_UNIT
        if systemctl daemon-reload && systemctl enable bosun-agent >/dev/null 2>&1 \
            && systemctl restart bosun-agent; then
          exit 0
        fi
        echo "systemd did not start bosun-agent; starting the supervisor in the background" >&2
        rm -f %3$s
      fi
      nohup setsid %2$s </dev/null >/dev/null 2>&1 &
      """
          .formatted(SUPERVISOR_PID, SUPERVISOR, UNIT, SYSTEMD_UNIT);

  /** Stops and removes the systemd unit if there is one; the caller stops the processes. */
  static final String REMOVE_UNIT =
      """
      if [ -f %1$s ]; then
        systemctl disable --now bosun-agent >/dev/null 2>&1 || true
        rm -f %1$s
        systemctl daemon-reload >/dev/null 2>&1 || true
      fi
      """
          .formatted(UNIT);

  private RemoteAgent() {}
}
