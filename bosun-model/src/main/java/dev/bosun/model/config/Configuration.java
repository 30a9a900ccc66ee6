package dev.bosun.model.config;

/**
 * Any configuration file Bosun reads, discriminated by its {@code type}: a run to submit ({@link
 * RunConfiguration}) or a fleet of hosts to set up ({@link FleetConfiguration}). {@link
 * ConfigurationParser#parseAny} returns one; callers switch on it exhaustively.
 */
public sealed interface Configuration permits RunConfiguration, FleetConfiguration {
  /** The {@code type} of the file, such as {@code task} or {@code fleet}. */
  String type();

  /** The name the file gives, or null where the type allows leaving it out. */
  String name();
}
