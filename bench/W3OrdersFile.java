import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Workload W3 (DESIGN §10): one orders file of N orders, 1 to 5 lines each, rows shuffled over the
 * whole file, plus the catalog and inventory snapshot its SKUs need so every order can be accepted.
 *
 *   java bench/W3OrdersFile.java OUT_DIR [orders=100000] [skus=2000] [seed=42] [idPrefix=W3-] [ts=20261122T030000Z]
 *
 * Writes OUT_DIR/catalog_<ts>.csv, OUT_DIR/inventory_W3_<ts>.csv and OUT_DIR/orders_shopify_<ts>.csv.
 * Deterministic for a given seed.
 */
public class W3OrdersFile {

    public static void main(String[] args) throws IOException {
        Path out = Path.of(args.length > 0 ? args[0] : "target/w3");
        int orders = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
        int skus = args.length > 2 ? Integer.parseInt(args[2]) : 2_000;
        long seed = args.length > 3 ? Long.parseLong(args[3]) : 42;
        Files.createDirectories(out);
        Random random = new Random(seed);
        String idPrefix = args.length > 4 ? args[4] : "W3-";
        String ts = args.length > 5 ? args[5] : "20261122T030000Z";

        try (BufferedWriter w = Files.newBufferedWriter(out.resolve("catalog_" + ts + ".csv"), StandardCharsets.UTF_8)) {
            w.write("sku,barcode,description,active\n");
            for (int s = 0; s < skus; s++) {
                w.write(sku(s) + ",400" + String.format("%010d", s) + ",W3 article " + s + ",true\n");
            }
        }
        try (BufferedWriter w = Files.newBufferedWriter(out.resolve("inventory_W3_" + ts + ".csv"), StandardCharsets.UTF_8)) {
            w.write("sku,location,on_hand\n");
            for (int s = 0; s < skus; s++) {
                w.write(sku(s) + ",A-" + (s % 50) + ",1000000\n");
            }
        }

        String[] cities = {"Berlin", "Hamburg", "Köln", "München", "Leipzig", "Dresden"};
        String[] methods = {"standard", "express", "ups_standard", "flat_rate"};
        String[] statuses = {"paid", "paid", "paid", "pending", "authorized"};
        Instant base = Instant.parse("2026-11-21T00:00:00Z");
        List<String> rows = new ArrayList<>(orders * 3);
        for (int o = 0; o < orders; o++) {
            String id = idPrefix + (5_000_000 + o);
            String placed = base.plus(random.nextInt(86_400), ChronoUnit.SECONDS).toString();
            String city = cities[random.nextInt(cities.length)];
            String head = id + "," + placed + ",buyer" + o + "@example.com,\"Buyer " + o + "\",\"" + (1 + random.nextInt(200))
                    + " Hauptstraße\",," + city + "," + String.format("%05d", 10_000 + random.nextInt(89_999)) + ",DE,+49 30 "
                    + (1_000_000 + random.nextInt(8_999_999)) + "," + methods[random.nextInt(methods.length)];
            String tail = ",EUR," + statuses[random.nextInt(statuses.length)];
            int lines = 1 + random.nextInt(5);
            int first = random.nextInt(skus);
            for (int l = 0; l < lines; l++) {
                int s = (first + l * 7) % skus; // distinct SKUs within one order
                String price = (1 + random.nextInt(200)) + "." + String.format("%02d", random.nextInt(100));
                rows.add(head + "," + sku(s) + "," + (1 + random.nextInt(3)) + "," + price + tail);
            }
        }
        Collections.shuffle(rows, random);
        Path orderFile = out.resolve("orders_shopify_" + ts + ".csv");
        try (BufferedWriter w = Files.newBufferedWriter(orderFile, StandardCharsets.UTF_8)) {
            w.write("# template: orders-v1\n");
            w.write("order_id,placed_at,email,ship_name,ship_address1,ship_address2,ship_city,ship_postcode,ship_country,"
                    + "ship_phone,shipping_method,sku,quantity,unit_price,currency,financial_status\n");
            for (String row : rows) {
                w.write(row);
                w.write('\n');
            }
        }
        System.out.println(orders + " orders in " + rows.size() + " rows (shuffled) -> " + orderFile
                + " (" + Files.size(orderFile) / 1024 + " KiB); " + skus + " SKUs in the catalog and snapshot");
    }

    private static String sku(int s) {
        return "W3-SKU-" + String.format("%05d", s);
    }
}
