package dev.bosun.agent;

import dev.bosun.api.agent.JobSpec;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Starts a job's process: {@code setsid /bin/sh -c WRAPPER} with the job's shell running its
 * script.
 *
 * <p>{@code setsid} makes the wrapper the leader of a new session and process group (it does not
 * fork, because a process the JVM starts is not a group leader), so the agent signals the whole
 * tree with one group signal, and the job neither gets the agent's signals nor dies with it. The
 * wrapper:
 *
 * <ul>
 *   <li>traps TERM, INT and HUP with a no-op rather than ignoring them: ignored signals are
 *       inherited, and the job's shell must get the SIGTERM sent to the group, while the wrapper
 *       survives it to record the exit status;
 *   <li>writes the exit status to {@code exit_code} (read only after the wrapper has ended, so no
 *       rename is needed);
 *   <li>then SIGKILLs its own group, so that processes the job left in the background end with it,
 *       while the group still exists and its id cannot have been reused.
 * </ul>
 */
final class JobLauncher {
  static final String WRAPPER =
      "trap : TERM INT HUP; \"$1\" \"$2\" </dev/null; echo $? >\"$3\"; kill -KILL 0";

  private final Map<String, String> environment;
  private final SearchPath searchPath;

  JobLauncher(Map<String, String> environment, SearchPath searchPath) {
    this.environment = Map.copyOf(environment);
    this.searchPath = searchPath;
  }

  /**
   * Writes the script, prepares the working directory and starts the wrapper, its output going to
   * {@code output}.
   */
  JobProcess.Child launch(JobSpec spec, JobDirectory directory) throws JobLaunchException {
    Path shell = shell(spec.shell());
    Path setsid =
        searchPath
            .find("setsid", "/usr/bin/setsid", "/bin/setsid")
            .orElseThrow(() -> new JobLaunchException("setsid is not installed on this host"));
    Path workingDir = workingDir(spec, directory);
    try {
      Files.createDirectories(workingDir);
    } catch (IOException e) {
      throw new JobLaunchException(
          "cannot create the working directory " + workingDir + ": " + e.getMessage(), e);
    }
    try {
      Files.writeString(directory.script(), script(spec), StandardCharsets.UTF_8);
      directory.writeFiles(spec.files());
    } catch (IOException e) {
      throw new JobLaunchException("cannot write the job's files: " + e.getMessage(), e);
    }
    ProcessBuilder builder =
        new ProcessBuilder(
                setsid.toString(),
                "/bin/sh",
                "-c",
                WRAPPER,
                "bosun-job-" + spec.jobId(),
                shell.toString(),
                directory.script().toString(),
                directory.exitCode().toString())
            .directory(workingDir.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .redirectOutput(ProcessBuilder.Redirect.appendTo(directory.output().toFile()))
            .redirectErrorStream(true);
    builder.environment().clear();
    builder.environment().putAll(environment(environment, spec));
    spec.files().keySet().forEach(k -> builder.environment().put(k, directory.file(k).toString()));
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new JobLaunchException("cannot start the job's process: " + e.getMessage(), e);
    }
    // the start time does not change when setsid and sh exec, so it can be read at once
    Long startTicks = ProcStat.read(process.pid()).map(ProcStat::startTicks).orElse(null);
    return new JobProcess.Child(process, startTicks);
  }

  /**
   * The agent's environment, then the job's, then the GPU variables unless the job's environment
   * sets them.
   */
  static Map<String, String> environment(Map<String, String> agentEnvironment, JobSpec spec) {
    Map<String, String> env = new HashMap<>(agentEnvironment);
    env.putAll(spec.env());
    String gpus = spec.gpuIndices().stream().map(String::valueOf).collect(Collectors.joining(","));
    if (!spec.env().containsKey("CUDA_VISIBLE_DEVICES")) {
      env.put("CUDA_VISIBLE_DEVICES", gpus);
    }
    if (!spec.env().containsKey("NVIDIA_VISIBLE_DEVICES")) {
      env.put("NVIDIA_VISIBLE_DEVICES", gpus);
    }
    return env;
  }

  /** The commands joined with {@code &&}, as dstack runs them. */
  static String script(JobSpec spec) {
    return String.join(" && ", spec.commands()) + "\n";
  }

  /**
   * {@code null}: bash, or sh where bash is missing; a name: looked up on PATH; an absolute path:
   * as is.
   */
  Path shell(String requested) throws JobLaunchException {
    if (requested == null || requested.isBlank()) {
      return searchPath
          .find("bash", "/bin/bash")
          .or(() -> searchPath.find("sh", "/bin/sh"))
          .orElseThrow(
              () -> new JobLaunchException("neither bash nor sh is installed on this host"));
    }
    if (requested.startsWith("/")) {
      return searchPath
          .find(requested)
          .orElseThrow(
              () ->
                  new JobLaunchException(
                      "the shell " + requested + " does not exist or is not executable"));
    }
    if (requested.contains("/")) {
      throw new JobLaunchException(
          "the shell must be a name or an absolute path, got " + requested);
    }
    return searchPath
        .find(requested)
        .orElseThrow(
            () ->
                new JobLaunchException(
                    "the shell " + requested + " is not installed on this host"));
  }

  static Path workingDir(JobSpec spec, JobDirectory directory) {
    if (spec.workingDir() == null || spec.workingDir().isBlank()) {
      return directory.workdir();
    }
    Path requested = Path.of(spec.workingDir());
    return requested.isAbsolute() ? requested : directory.workdir().resolve(requested).normalize();
  }
}
