package dev.bosun.model.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The container fields of a task: {@code image}, {@code python}, {@code entrypoint}, {@code user},
 * {@code privileged}, {@code registry_auth} and {@code volumes}, what they parse to and every rule
 * with its message.
 */
class ContainerFieldsTest {
  private static final String TASK = "type: task\ncommands: [a]\n";
  private static final String EXPECTED_IMAGE =
      "expected [REGISTRY[:PORT]/]NAME[:TAG][@sha256:DIGEST] with a lower-case NAME, e.g."
          + " pytorch/pytorch:2.4.0-cuda12.1-cudnn9-runtime or nvcr.io/nvidia/pytorch:24.07-py3";
  private static final String DIGEST =
      "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

  private static ContainerConfig container(String fields) {
    return ConfigurationParserTest.task(TASK + fields).container();
  }

  private static List<ConfigurationError> errors(String fields) {
    ConfigurationException e =
        catchThrowableOfType(
            ConfigurationException.class,
            () -> ConfigurationParser.parse(TASK + fields, "c.bosun.yml"));
    assertThat(e).as("parsing should fail:\n%s", fields).isNotNull();
    return e.errors();
  }

  private static ConfigurationError onlyError(String fields) {
    List<ConfigurationError> errors = errors(fields);
    assertThat(errors).hasSize(1);
    return errors.getFirst();
  }

  private static String message(String fields) {
    return onlyError(fields).message();
  }

  // --- what parses ---

  @Test
  void aTaskWithoutContainerFieldsHasNoContainer() {
    TaskConfiguration task = ConfigurationParserTest.task(TASK);

    assertThat(task.container()).isNull();
    assertThat(task.hasContainer()).isFalse();
  }

  @Test
  void readsEveryContainerField() {
    TaskConfiguration task =
        ConfigurationParserTest.task(
            TASK
                + """
                image: nvcr.io/nvidia/pytorch:24.07-py3
                entrypoint: /bin/bash -lc
                user: 1000:1000
                privileged: true
                registry_auth:
                  username: $oauthtoken
                  password: s3cret-token
                volumes:
                  - /mnt/data:/data
                  - instance_path: /root/.cache/huggingface
                    path: /root/.cache/huggingface
                    optional: true
                  - {instance_path: /scratch, path: /scratch}
                """);

    assertThat(task.hasContainer()).isTrue();
    assertThat(task.container())
        .isEqualTo(
            new ContainerConfig(
                "nvcr.io/nvidia/pytorch:24.07-py3",
                null,
                "/bin/bash -lc",
                "1000:1000",
                true,
                new ContainerConfig.RegistryAuth("$oauthtoken", "s3cret-token"),
                List.of(
                    new InstanceVolume("/mnt/data", "/data", false),
                    new InstanceVolume(
                        "/root/.cache/huggingface", "/root/.cache/huggingface", true),
                    new InstanceVolume("/scratch", "/scratch", false))));
  }

  @Test
  void readsTheContainerExampleFile() {
    TaskConfiguration task =
        (TaskConfiguration)
            ConfigurationParser.parse(
                ConfigurationParserTest.resource("container.bosun.yml"), "container.bosun.yml");

    assertThat(task.container().image()).isEqualTo("nvcr.io/nvidia/pytorch:24.07-py3");
    assertThat(task.container().user()).isEqualTo("1000:1000");
    assertThat(task.container().volumes()).hasSize(2);
    assertThat(task.resources().shmSize().toString()).isEqualTo("16GB");
  }

  @Test
  void anImageAloneTakesTheDefaults() {
    assertThat(container("image: ubuntu\n")).isEqualTo(ContainerConfig.ofImage("ubuntu"));
    ContainerConfig container = container("image: ubuntu\nprivileged: false\nvolumes: []\n");
    assertThat(container.privileged()).isFalse();
    assertThat(container.volumes()).isEmpty();
    assertThat(container.python()).isNull();
    assertThat(container.entrypoint()).isNull();
    assertThat(container.user()).isNull();
    assertThat(container.registryAuth()).isNull();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "ubuntu",
        "ubuntu:22.04",
        "pytorch/pytorch:2.4.0-cuda12.1-cudnn9-runtime",
        "nvcr.io/nvidia/pytorch:24.07-py3",
        "localhost:5000/me/img@" + DIGEST,
        "localhost/me/img",
        "registry.example.com:443/team/a.b_c__d---e:v1",
        "ghcr.io/org/img:latest@" + DIGEST,
        "img@" + DIGEST,
        "[::1]:5000/img:_x",
        "123/456:7",
        "Registry.Example.COM/img"
      })
  void readsImageReferencesAsWritten(String image) {
    assertThat(container("image: \"" + image + "\"\n").image()).isEqualTo(image);
    assertThat(image).matches(ContainerFieldRules.IMAGE_PATTERN);
  }

  @Test
  void readsPythonVersionsQuotedAndUnquoted() {
    assertThat(container("python: \"3.12\"\n")).isEqualTo(ContainerConfig.ofPython("3.12"));
    assertThat(container("python: '3.9'\n").python()).isEqualTo("3.9");
    // The YAML layer keeps a number's text as written, so an unquoted 3.10 is not 3.1.
    assertThat(container("python: 3.10\n").python()).isEqualTo("3.10");
    assertThat(container("python: 3.13\n").image()).isNull();
    assertThat(container("python: \"3.11\"\nuser: ubuntu\n").user()).isEqualTo("ubuntu");
  }

  @Test
  void readsUsersAsNamesIdsAndGroups() {
    assertThat(container("image: a\nuser: ubuntu\n").user()).isEqualTo("ubuntu");
    assertThat(container("image: a\nuser: 1000\n").user()).isEqualTo("1000");
    assertThat(container("image: a\nuser: \"1000:100\"\n").user()).isEqualTo("1000:100");
    assertThat(container("image: a\nuser: app_user:staff\n").user()).isEqualTo("app_user:staff");
    // YAML 1.1 reads 1000:59 as a base-60 number; its text as written is still the user.
    assertThat(container("image: a\nuser: 1000:59\n").user()).isEqualTo("1000:59");
  }

  @Test
  void readsPrivilegedAsABoolean() {
    assertThat(container("image: a\nprivileged: yes\n").privileged()).isTrue();
    assertThat(container("image: a\nprivileged: \"false\"\n").privileged()).isFalse();
  }

  @Test
  void anEmptyValueIsLeftOut() {
    assertThat(
            ConfigurationParserTest.task(TASK + "image:\npython:\nuser:\nvolumes:\n").container())
        .isNull();
    assertThat(container("image: a\nentrypoint:\nregistry_auth:\n"))
        .isEqualTo(ContainerConfig.ofImage("a"));
  }

  // --- image ---

  @Test
  void refusesAnImageWithUpperCaseAndSaysWhere() {
    ConfigurationError error = onlyError("image: PyTorch/pytorch:2.4.0\n");

    assertThat(error.line()).isEqualTo(3);
    assertThat(error.column()).isEqualTo(8);
    assertThat(error.path()).isEqualTo("image");
    assertThat(error.message())
        .isEqualTo(
            "invalid image 'PyTorch/pytorch:2.4.0': the repository name 'PyTorch' has upper-case"
                + " letters; "
                + EXPECTED_IMAGE);
    assertThat(error.toString())
        .startsWith("c.bosun.yml:3:8: image: invalid image 'PyTorch/pytorch:2.4.0'");
  }

  @Test
  void refusesBadImagesSayingWhatIsWrong() {
    assertThat(message("image: \"ubuntu 22.04\"\n"))
        .isEqualTo(
            "invalid image 'ubuntu 22.04': it holds a space or a control character; "
                + EXPECTED_IMAGE);
    assertThat(message("image: \"ubuntu:\"\n"))
        .isEqualTo("invalid image 'ubuntu:': the tag after ':' is empty; " + EXPECTED_IMAGE);
    assertThat(message("image: ubuntu:-x\n"))
        .isEqualTo(
            "invalid image 'ubuntu:-x': the tag '-x' is not 1 to 128 letters, digits, '_', '.' or"
                + " '-' that start with a letter, digit or '_'; "
                + EXPECTED_IMAGE);
    assertThat(message("image: ubuntu:" + "a".repeat(129) + "\n"))
        .startsWith("invalid image 'ubuntu:aaa")
        .contains("the tag 'aaa");
    assertThat(message("image: ubuntu@sha256:abc\n"))
        .isEqualTo(
            "invalid image 'ubuntu@sha256:abc': the digest 'sha256:abc' is not sha256: followed by"
                + " 64 lower-case hexadecimal digits; "
                + EXPECTED_IMAGE);
    assertThat(message("image: ubuntu@" + DIGEST.toUpperCase() + "\n"))
        .contains("is not sha256: followed by 64 lower-case hexadecimal digits");
    assertThat(message("image: me//img\n"))
        .isEqualTo(
            "invalid image 'me//img': it has an empty path component (a '/' too many); "
                + EXPECTED_IMAGE);
    assertThat(message("image: /img\n")).contains("it has an empty path component");
    assertThat(message("image: me/img-\n"))
        .isEqualTo(
            "invalid image 'me/img-': the path component 'img-' is not lower-case letters and"
                + " digits separated by '.', '_', '__' or '-'; "
                + EXPECTED_IMAGE);
    assertThat(message("image: me/a___b\n")).contains("the path component 'a___b'");
    assertThat(message("image: my_registry.io/img\n"))
        .isEqualTo(
            "invalid image 'my_registry.io/img': the registry 'my_registry.io' is not a host name"
                + " or HOST:PORT; "
                + EXPECTED_IMAGE);
    assertThat(message("image: localhost:port/img\n"))
        .contains("the registry 'localhost:port' is not a host name or HOST:PORT");
    assertThat(message("image: \":latest\"\n"))
        .isEqualTo("invalid image ':latest': it has no name; " + EXPECTED_IMAGE);
    assertThat(message("image: a/" + "b".repeat(254) + "\n"))
        .contains("the name is longer than 255 characters");
    assertThat(message("image: \" \"\n")).isEqualTo("image must not be blank; " + EXPECTED_IMAGE);
    assertThat(message("image: [ubuntu]\n"))
        .isEqualTo(
            "expected an image such as pytorch/pytorch:2.4.0-cuda12.1-cudnn9-runtime, found a"
                + " list");
  }

  // --- python ---

  @Test
  void refusesUnsupportedPythonVersions() {
    ConfigurationError error = onlyError("python: \"3.8\"\n");

    assertThat(error.path()).isEqualTo("python");
    assertThat(error.line()).isEqualTo(3);
    assertThat(error.column()).isEqualTo(9);
    assertThat(error.message())
        .isEqualTo(
            "unsupported python version '3.8': expected \"3.9\", \"3.10\", \"3.11\", \"3.12\" or"
                + " \"3.13\"");
    assertThat(message("python: \"3.10.4\"\n")).startsWith("unsupported python version '3.10.4'");
    assertThat(message("python: [3.12]\n"))
        .isEqualTo("expected a Python version such as \"3.12\", found a list");
  }

  @Test
  void tellsToQuoteAPythonVersionWrittenAsAnUnsupportedNumber() {
    String expected =
        " expected \"3.9\", \"3.10\", \"3.11\", \"3.12\" or \"3.13\" in quotes, e.g. python:"
            + " \"3.10\" (unquoted, YAML reads 3.10 as the number 3.1)";
    assertThat(message("python: 3.1\n")).isEqualTo("unsupported python version 3.1:" + expected);
    assertThat(message("python: 3\n")).isEqualTo("unsupported python version 3:" + expected);
    assertThat(message("python: 3.8\n")).isEqualTo("unsupported python version 3.8:" + expected);
  }

  @Test
  void refusesImageAndPythonTogether() {
    ConfigurationError error = onlyError("image: ubuntu\npython: \"3.12\"\n");

    assertThat(error.path()).isEqualTo("python");
    assertThat(error.line()).isEqualTo(4);
    assertThat(error.column()).isEqualTo(1);
    assertThat(error.message())
        .isEqualTo(
            "'image' and 'python' are mutually exclusive: 'python' asks for a base image with that"
                + " Python version; give one of them");
  }

  // --- fields that need a container ---

  @Test
  void refusesContainerFieldsWithoutImageOrPython() {
    ConfigurationError user = onlyError("user: ubuntu\n");
    assertThat(user.path()).isEqualTo("user");
    assertThat(user.line()).isEqualTo(3);
    assertThat(user.column()).isEqualTo(1);
    assertThat(user.message())
        .isEqualTo(
            "'user' needs a container: give 'image' (or 'python') too; without one the job runs"
                + " as a process of the agent's user");
    assertThat(message("privileged: true\n"))
        .isEqualTo(
            "'privileged' needs a container: give 'image' (or 'python') too; without one the job"
                + " runs as a process with the agent's privileges");
    assertThat(message("privileged: false\n")).startsWith("'privileged' needs a container");
    assertThat(message("entrypoint: /bin/sh -c\n"))
        .isEqualTo(
            "'entrypoint' needs a container: give 'image' (or 'python') too; without one the job"
                + " runs as a process on the host, started by its shell");
    assertThat(message("registry_auth: {username: u, password: p}\n"))
        .isEqualTo(
            "'registry_auth' needs a container: give 'image' (or 'python') too; without one there"
                + " is no image to pull");
    assertThat(message("volumes: [/a:/b]\n"))
        .isEqualTo(
            "'volumes' needs a container: give 'image' (or 'python') too; without one the job runs"
                + " on the host and sees its directories directly");
    assertThat(errors("user: root\nvolumes: [/a:/b]\nprivileged: true\n"))
        .extracting(ConfigurationError::path)
        .containsExactly("user", "volumes", "privileged");
  }

  @Test
  void aBadImageStillCountsAsAContainerForTheOtherFields() {
    assertThat(errors("image: Ubuntu\nuser: root\n"))
        .extracting(ConfigurationError::path)
        .containsExactly("image");
  }

  // --- entrypoint, user, privileged ---

  @Test
  void refusesABlankOrNonTextEntrypoint() {
    assertThat(message("image: a\nentrypoint: \"  \"\n"))
        .isEqualTo("entrypoint must not be blank; leave it out to use the image's entrypoint");
    assertThat(message("image: a\nentrypoint: [/bin/sh, -c]\n"))
        .isEqualTo("expected a command line such as /bin/bash -lc, found a list");
  }

  @Test
  void refusesBadUsers() {
    ConfigurationError error = onlyError("image: a\nuser: \"a b\"\n");

    assertThat(error.path()).isEqualTo("user");
    assertThat(error.message())
        .isEqualTo(
            "invalid user 'a b': expected a user name or id, optionally with a group as USER:GROUP"
                + " (e.g. ubuntu or 1000:1000)");
    assertThat(message("image: a\nuser: \"1000:\"\n")).startsWith("invalid user '1000:'");
    assertThat(message("image: a\nuser: \"a:b:c\"\n")).startsWith("invalid user 'a:b:c'");
    assertThat(message("image: a\nuser: {name: a}\n"))
        .isEqualTo("expected a user name or id such as ubuntu or 1000:1000, found a mapping");
  }

  @Test
  void refusesAPrivilegedThatIsNotABoolean() {
    assertThat(message("image: a\nprivileged: maybe\n"))
        .isEqualTo("expected true or false, found the text 'maybe'");
  }

  // --- registry_auth ---

  @Test
  void requiresTheUsernameAndPasswordOfRegistryAuth() {
    ConfigurationError missing = onlyError("image: a\nregistry_auth:\n  username: me\n");
    assertThat(missing.path()).isEqualTo("registry_auth.password");
    assertThat(missing.line()).isEqualTo(5);
    assertThat(missing.message())
        .isEqualTo("field 'password' is required in registry_auth: the password or access token");
    assertThat(message("image: a\nregistry_auth: {password: p}\n"))
        .isEqualTo("field 'username' is required in registry_auth: the user name at the registry");
    assertThat(message("image: a\nregistry_auth: {username: me, password: \" \"}\n"))
        .isEqualTo("registry_auth.password must not be blank");
    assertThat(message("image: a\nregistry_auth: {username: [me], password: p}\n"))
        .isEqualTo("expected a username (text), found a list");
  }

  @Test
  void refusesUnknownKeysOfRegistryAuth() {
    ConfigurationError error =
        onlyError("image: a\nregistry_auth: {username: me, password: p, pasword: q}\n");

    assertThat(error.path()).isEqualTo("registry_auth.pasword");
    assertThat(error.message())
        .isEqualTo(
            "unknown field 'pasword' in registry_auth; did you mean 'password'? Allowed fields:"
                + " username, password");
  }

  @Test
  void neverShowsRegistryCredentialsWrittenAsOneValue() {
    ConfigurationError error = onlyError("image: a\nregistry_auth: \"me:s3cret\"\n");

    assertThat(error.message())
        .isEqualTo("expected a mapping with username and password, found a single value")
        .doesNotContain("s3cret");
  }

  @Test
  void masksThePasswordWhenPrinted() {
    ContainerConfig.RegistryAuth auth = new ContainerConfig.RegistryAuth("me", "s3cret-token");
    TaskConfiguration task =
        ConfigurationParserTest.task(
            TASK + "image: a\nregistry_auth: {username: me, password: s3cret-token}\n");

    assertThat(auth.toString())
        .isEqualTo("RegistryAuth[username=me, password=***]")
        .doesNotContain("s3cret");
    assertThat(task.container().registryAuth()).isEqualTo(auth);
    assertThat(task.container().registryAuth().password()).isEqualTo("s3cret-token");
    assertThat(task.container().toString()).contains("password=***").doesNotContain("s3cret");
    assertThat(task.toString()).doesNotContain("s3cret");
  }

  // --- volumes ---

  @Test
  void refusesNetworkVolumesAsComingLater() {
    ConfigurationError error = onlyError("image: a\nvolumes:\n  - my-vol:/data\n");

    assertThat(error.path()).isEqualTo("volumes[0]");
    assertThat(error.line()).isEqualTo(5);
    assertThat(error.column()).isEqualTo(5);
    assertThat(error.message())
        .isEqualTo(
            "invalid volume 'my-vol:/data': network volumes come in a later release; instance"
                + " volumes are /host/path:/container/path");
    assertThat(message("image: a\nvolumes: [{name: my-vol, path: /data}]\n"))
        .isEqualTo(
            "field 'name' is not supported yet by Bosun (network volumes come in a later release)");
  }

  @Test
  void refusesVolumesThatAreNotTwoAbsolutePaths() {
    assertThat(message("image: a\nvolumes: [./data:/data]\n"))
        .isEqualTo(
            "invalid volume './data:/data': the host path must be absolute; expected"
                + " /host/path:/container/path");
    assertThat(message("image: a\nvolumes: [\"~/data:/data\"]\n"))
        .startsWith("invalid volume '~/data:/data': the host path must be absolute");
    assertThat(message("image: a\nvolumes: [/data]\n"))
        .isEqualTo(
            "invalid volume '/data': expected /host/path:/container/path (e.g. /mnt/data:/data),"
                + " or a mapping {instance_path: /mnt/data, path: /data, optional: true}");
    assertThat(message("image: a\nvolumes: [/a:data]\n"))
        .isEqualTo("invalid container path 'data': expected an absolute path, starting with /");
    assertThat(message("image: a\nvolumes: [\"/a:\"]\n"))
        .isEqualTo("invalid container path '': expected an absolute path, starting with /");
    assertThat(message("image: a\nvolumes: [/a/../etc:/b]\n"))
        .isEqualTo("invalid host path '/a/../etc': it must not hold '..' segments");
    assertThat(message("image: a\nvolumes: [/a:/b/..]\n"))
        .isEqualTo("invalid container path '/b/..': it must not hold '..' segments");
    assertThat(message("image: a\nvolumes: [\"/a:/b:ro\"]\n"))
        .isEqualTo(
            "invalid volume '/a:/b:ro': expected one ':' between /host/path and /container/path"
                + " (options such as :ro are not supported)");
    assertThat(message("image: a\nvolumes: [\"/a:/\"]\n"))
        .isEqualTo("invalid container path '/': a volume cannot be mounted over / itself");
    assertThat(message("image: a\nvolumes: /a:/b\n"))
        .isEqualTo("expected a list of volumes such as /mnt/data:/data, found the text '/a:/b'");
    assertThat(message("image: a\nvolumes: [[/a, /b]]\n")).startsWith("expected a volume: ");
  }

  @Test
  void checksTheVolumeMappingForm() {
    ConfigurationError missing = onlyError("image: a\nvolumes:\n  - instance_path: /a\n");
    assertThat(missing.path()).isEqualTo("volumes[0].path");
    assertThat(missing.message())
        .isEqualTo(
            "field 'path' is required in volumes[0]: the absolute path in the container, e.g."
                + " path: /data");
    assertThat(message("image: a\nvolumes: [{path: /data}]\n"))
        .isEqualTo(
            "field 'instance_path' is required in volumes[0]: the absolute path on the host, e.g."
                + " instance_path: /mnt/data");
    assertThat(message("image: a\nvolumes: [{instance_path: a, path: /b}]\n"))
        .isEqualTo("invalid host path 'a': expected an absolute path, starting with /");
    assertThat(message("image: a\nvolumes: [{instance_path: /a, path: /b, optional: 2}]\n"))
        .isEqualTo("expected true or false, found the number 2");
    assertThat(onlyError("image: a\nvolumes: [{instance_path: /a, path: /b, ro: true}]\n").path())
        .isEqualTo("volumes[0].ro");
  }

  @Test
  void refusesTwoVolumesOnOneContainerPath() {
    ConfigurationError error =
        onlyError(
            "image: a\nvolumes:\n  - /a:/data\n  - /b:/other\n  - {instance_path: /c, path: /data/}\n");

    assertThat(error.path()).isEqualTo("volumes[2]");
    assertThat(error.line()).isEqualTo(7);
    assertThat(error.message())
        .isEqualTo(
            "container path /data/ is already mounted by volumes[0]; each container path takes"
                + " one volume");
    // Two mounts of one host directory are fine.
    assertThat(container("image: a\nvolumes: [/a:/x, /a:/y]\n").volumes()).hasSize(2);
  }

  // --- other fields, the records ---

  @Test
  void keepsRefusingTheContainerFieldsThatComeLater() {
    assertThat(message("image: a\ndocker: true\n"))
        .isEqualTo(
            "field 'docker' is not supported yet by Bosun (Docker inside the container comes in a"
                + " later release)");
    assertThat(message("image: a\nhome_dir: /root\n"))
        .startsWith("field 'home_dir' is not supported yet by Bosun");
  }

  @Test
  void sharedMemoryStaysAResource() {
    TaskConfiguration task =
        ConfigurationParserTest.task(TASK + "image: a\nresources:\n  shm_size: 16GB\n");

    assertThat(task.resources().shmSize()).isNotNull();
    assertThat(task.resources().shmSize().toString()).isEqualTo("16GB");
  }

  @Test
  void theRecordsCheckTheirOwnRules() {
    assertThatThrownBy(() -> new ContainerConfig(null, null, null, null, false, null, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a container needs image or python");
    assertThatThrownBy(() -> new ContainerConfig("a", "3.12", null, null, false, null, null))
        .hasMessage("image and python are mutually exclusive");
    assertThatThrownBy(() -> ContainerConfig.ofImage("A"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ContainerConfig.ofPython("3.1"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                new ContainerConfig(
                    "a",
                    null,
                    null,
                    null,
                    false,
                    null,
                    List.of(InstanceVolume.parse("/a:/d"), InstanceVolume.parse("/b:/d/."))))
        .hasMessage("volumes 0 and 1 are both mounted on /d; each container path takes one volume");
    assertThatThrownBy(() -> new ContainerConfig.RegistryAuth("me", ""))
        .hasMessage("registry_auth.password must not be blank");
    assertThatThrownBy(() -> new InstanceVolume("/a", "b", false))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(InstanceVolume.parse("/a:/b")).isEqualTo(new InstanceVolume("/a", "/b", false));
    assertThat(InstanceVolume.parse("/a:/b").toString()).isEqualTo("/a:/b");
    assertThat(new InstanceVolume("/a", "/b/", true).mountPoint()).isEqualTo("/b");
  }

  @Test
  void theEarlierConstructorsAndCopiesKeepTheContainer() {
    TaskConfiguration withContainer =
        ConfigurationParserTest.task(TASK + "name: box\nimage: ubuntu\nuser: root\n");

    assertThat(withContainer.withName("other").container()).isEqualTo(withContainer.container());
    assertThat(withContainer.withEnv(Environment.EMPTY).container())
        .isEqualTo(withContainer.container());
    assertThat(TaskConfiguration.of(List.of("a")).container()).isNull();
    assertThat(
            new TaskConfiguration(
                    null,
                    List.of("a"),
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    1,
                    null,
                    null,
                    false,
                    null,
                    null,
                    null)
                .container())
        .isNull();
  }
}
