package dev.bosun.server.runs;

import java.util.List;
import java.util.random.RandomGenerator;

/** Names for runs submitted without one, like {@code brave-otter-7}. */
final class RunNames {
  private static final List<String> ADJECTIVES =
      List.of(
          "brave", "calm", "eager", "fast", "gentle", "happy", "keen", "lucky", "merry", "noble",
          "proud", "quick", "quiet", "sharp", "steady", "swift", "tidy", "warm", "wise", "bold");
  private static final List<String> NOUNS =
      List.of(
          "otter", "falcon", "heron", "lynx", "marten", "osprey", "puffin", "raven", "seal",
          "stoat", "swan", "tern", "vole", "wren", "yak", "zebra", "badger", "bison", "crane",
          "dingo");

  private RunNames() {}

  static String generate(RandomGenerator random) {
    return ADJECTIVES.get(random.nextInt(ADJECTIVES.size()))
        + "-"
        + NOUNS.get(random.nextInt(NOUNS.size()))
        + "-"
        + (1 + random.nextInt(99));
  }
}
