import java.time.Instant;
import org.handoff.store.Database;
import org.handoff.store.Jdbc;

/**
 * W1 set-up: migrates a fresh embedded H2 store under DATA and gives it the ERP catalog and physical
 * stock the benchmark's orders need (4 hot SKUs, plenty of units, so every order can be accepted).
 *
 *   java -cp target/handoff.jar bench/W1Seed.java DATA
 */
public class W1Seed {
    // the same hot SKUs as W1Load
    static final java.util.List<String> SKUS = java.util.List.of("W1-TEE-RED-M", "W1-HOODIE-L", "W1-MUG", "W1-CAP");

    public static void main(String[] args) {
        String file = java.nio.file.Path.of(args[0], "db", "handoff").toAbsolutePath().toString();
        try (Database db = Database.open("jdbc:h2:file:" + file + ";AUTO_SERVER=FALSE;DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0;QUERY_CACHE_SIZE=64",
                "handoff", "", 2)) {
            Jdbc jdbc = new Jdbc(db.dataSource());
            Instant now = Instant.now();
            for (String sku : SKUS) {
                jdbc.update("insert into catalog (sku, barcode, description, active, updated_at) values (?, null, ?, true, ?)",
                        sku, "W1 " + sku, now);
                jdbc.update("insert into stock (sku, on_hand, reserved, updated_at) values (?, 100000000, 0, ?)", sku, now);
            }
        }
        System.out.println("seeded catalog and stock for " + String.join(", ", SKUS));
    }
}
