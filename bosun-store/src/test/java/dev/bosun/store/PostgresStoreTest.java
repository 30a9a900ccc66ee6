package dev.bosun.store;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The same contract on a real PostgreSQL server started for this class, a fresh database per test.
 * Skipped only where PostgreSQL is not installed (./run-tests installs it as root).
 */
class PostgresStoreTest extends StoreContractTest {
  private static final AtomicInteger DATABASES = new AtomicInteger();
  private static PostgresServer server;
  private String url;

  @BeforeAll
  static void startServer() throws Exception {
    Optional<Path> bin = PostgresServer.installation();
    assumeTrue(bin.isPresent(), "PostgreSQL is not installed");
    server = PostgresServer.start(bin.get());
  }

  @AfterAll
  static void stopServer() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  private static String createDatabase() throws Exception {
    String name = "bosun_test_" + DATABASES.incrementAndGet();
    try (var connection = DriverManager.getConnection(server.jdbcUrl());
        var statement = connection.createStatement()) {
      statement.execute("CREATE DATABASE " + name);
    }
    return server.jdbcUrl().replace("/postgres?", "/" + name + "?");
  }

  @Override
  Store openStore() throws Exception {
    if (url == null) {
      url = createDatabase(); // JUnit makes a new instance per test: one database per test
    }
    return StoreFactory.open(url, Clock.systemUTC());
  }
}
