package dev.bosun.store;

import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.io.TempDir;

/** The store contract on a SQLite file (the default database). */
class SqliteStoreTest extends StoreContractTest {
  @TempDir Path dir;

  @Override
  Store openStore() {
    return StoreFactory.sqlite(dir.resolve("bosun.db"), Clock.systemUTC());
  }
}
