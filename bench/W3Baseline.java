import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.handoff.csvinbox.CsvOrderRow;
import org.handoff.csvinbox.OrderGroup;
import org.handoff.csvinbox.OrderRowSorter;

/**
 * The in-run baseline for W3: the same file read with commons-csv and grouped by order_id with the hub's
 * own sorter (same chunk size), no database — the floor under what the inbox can do.
 *
 *   java -Xmx256m -cp target/handoff.jar bench/W3Baseline.java ORDERS_FILE TEMP_DIR [chunkRows=20000]
 */
public class W3Baseline {
    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        Path temp = Path.of(args[1]);
        int chunk = args.length > 2 ? Integer.parseInt(args[2]) : 20_000;
        long start = System.nanoTime();
        long rows = 0;
        long orders = 0;
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
                OrderRowSorter sorter = new OrderRowSorter(temp, chunk, 1000)) {
            reader.readLine(); // template line
            try (CSVParser parser = CSVFormat.DEFAULT.parse(reader)) {
                Iterator<CSVRecord> it = parser.iterator();
                it.next(); // header
                long row = 2;
                while (it.hasNext()) {
                    sorter.add(new CsvOrderRow(++row, it.next().toList()));
                    rows++;
                }
            }
            Iterator<OrderGroup> groups = sorter.groups();
            while (groups.hasNext()) {
                groups.next();
                orders++;
            }
        }
        long ms = (System.nanoTime() - start) / 1_000_000;
        System.out.println("baseline: read and grouped " + orders + " orders (" + rows + " rows) in " + ms + " ms = "
                + (orders * 1000 / Math.max(1, ms)) + " orders/s");
    }
}
