import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.handoff.store.Database;

/**
 * Migrates a fresh hub database and gives it the W3 catalog and stock (every W3 SKU active, plenty on
 * hand), so the benchmark measures orders, not holds. Runs on the hub's own classes:
 *
 *   java -cp target/handoff.jar bench/W3Seed.java DATA_DIR [skus=2000] [jdbcUrl user password]
 */
public class W3Seed {
    public static void main(String[] args) throws Exception {
        Path data = Path.of(args[0]);
        int skus = args.length > 1 ? Integer.parseInt(args[1]) : 2_000;
        String url = args.length > 2 ? args[2]
                : "jdbc:h2:file:" + data.resolve("db").resolve("handoff").toAbsolutePath() + ";AUTO_SERVER=FALSE;DB_CLOSE_ON_EXIT=FALSE";
        String user = args.length > 3 ? args[3] : "handoff";
        String password = args.length > 4 ? args[4] : "";
        OffsetDateTime now = Instant.now().atOffset(ZoneOffset.UTC);
        try (Database db = Database.open(url, user, password, 2);
                Connection c = db.dataSource().getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement cat = c.prepareStatement(
                    "insert into catalog (sku, barcode, description, active, updated_at) values (?, ?, ?, true, ?)");
                    PreparedStatement st = c.prepareStatement(
                            "insert into stock (sku, on_hand, reserved, updated_at) values (?, 1000000, 0, ?)")) {
                for (int s = 0; s < skus; s++) {
                    String sku = "W3-SKU-" + String.format("%05d", s);
                    cat.setString(1, sku);
                    cat.setString(2, "400" + String.format("%010d", s));
                    cat.setString(3, "W3 article " + s);
                    cat.setObject(4, now);
                    cat.addBatch();
                    st.setString(1, sku);
                    st.setObject(2, now);
                    st.addBatch();
                }
                cat.executeBatch();
                st.executeBatch();
            }
            c.commit();
        }
        System.out.println("seeded " + skus + " SKUs (catalog, 1,000,000 on hand each) into " + url.split(";")[0]);
    }
}
