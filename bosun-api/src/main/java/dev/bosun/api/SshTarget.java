package dev.bosun.api;

/**
 * How to open an SSH session into a running job: through the server's tunnel ({@code GET
 * /api/projects/{p}/runs/{run}/ssh?job=N}, a WebSocket carrying the SSH connection), as {@code
 * user}, checking the agent's {@code hostKey}.
 *
 * @param run the run's name
 * @param jobNum the job's rank (0 for single-node runs)
 * @param user the SSH user name: the job's id
 * @param hostKey the OpenSSH public host key of the agent's SSH server ({@code ssh-ed25519 AAAA…})
 * @param workingDir the directory to open in an IDE when the run names an absolute one, or null
 * @param ide the IDE of a dev environment ({@code vscode}, {@code cursor}, {@code windsurf}), or
 *     null
 */
public record SshTarget(
    String run, int jobNum, String user, String hostKey, String workingDir, String ide) {}
