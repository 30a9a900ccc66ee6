package dev.bosun.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.time.InstantSource;
import org.flywaydb.core.Flyway;

/**
 * Opens the store named by a JDBC URL and brings its schema up to date with the versioned
 * migrations.
 */
public final class StoreFactory {
  private StoreFactory() {}

  /** SQLite in WAL mode at {@code file}. */
  public static Store sqlite(Path file, InstantSource clock) {
    return open("jdbc:sqlite:" + file.toAbsolutePath(), clock);
  }

  /**
   * {@code jdbc:sqlite:...} or {@code jdbc:postgresql://...} (with user and password in the URL).
   */
  public static Store open(String jdbcUrl, InstantSource clock) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(jdbcUrl);
    config.setPoolName("bosun-store");
    if (jdbcUrl.startsWith("jdbc:sqlite:")) {
      // One connection: SQLite has one writer anyway, and this keeps every transaction serial.
      config.setMaximumPoolSize(1);
      config.addDataSourceProperty("journal_mode", "WAL");
      config.addDataSourceProperty("synchronous", "NORMAL");
      config.addDataSourceProperty("busy_timeout", "10000");
      config.addDataSourceProperty("foreign_keys", "true");
    } else {
      config.setMaximumPoolSize(8);
    }
    HikariDataSource dataSource = new HikariDataSource(config);
    try {
      Flyway.configure()
          .dataSource(dataSource)
          .locations("classpath:db/migration")
          .load()
          .migrate();
    } catch (RuntimeException e) {
      dataSource.close();
      throw e;
    }
    return new JdbcStore(dataSource, clock);
  }
}
