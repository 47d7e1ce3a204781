import java.io.BufferedReader;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.MVStoreTool;

/**
 * What the embedded H2 file was written with, per table and index: the pages and bytes of the chunks written in
 * the last SECONDS before the file was copied. H2 writes what each commit changed as one chunk, and pages are
 * copy-on-write, so a page a commit touches is written whole again; this shows which maps those pages belong
 * to. A diagnosis for the benchmarks (W3's {@code H2_WRITES=1}), not a figure: run it on a copy of
 * {@code data/db/handoff.mv.db} taken right after a measured run, before H2 reuses the space of old chunks
 * (45 s after they were emptied).
 *
 * <pre>java -cp target/handoff.jar bench/H2Writes.java COPY.mv.db [SECONDS] [ORDERS]</pre>
 *
 * SECONDS (default: every chunk in the file) is the window before the last chunk; ORDERS, when given, adds
 * bytes per order. Table and index names come from opening a second copy of the file with the hub's default
 * credentials (user {@code handoff}, empty password; env H2_USER, H2_PASSWORD otherwise).
 */
public class H2Writes {

    private static final Pattern CHUNK_TIME = Pattern.compile("chunkHeader .*\\btime:([0-9a-f]+)");
    private static final Pattern PAGE = Pattern.compile("^\\+[0-9a-f]+ (leaf|node)[^,]*, map ([0-9a-f]+), \\d+ entries, (\\d+) bytes");

    /** Pages written for one map: [bytes, pages, leaves]. */
    private static final class Written {
        long bytes;
        long pages;
        long leaves;
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]).toAbsolutePath();
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : Double.POSITIVE_INFINITY;
        long orders = args.length > 2 ? Long.parseLong(args[2]) : 0;

        Path dump = Files.createTempFile("h2writes", ".txt");
        try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(dump))) {
            MVStoreTool.dump(file.toString(), out, true);
        }
        // chunk time (ms since the store was created) -> map id -> pages written in that chunk
        TreeMap<Long, Map<Integer, Written>> chunks = new TreeMap<>();
        Map<Integer, Written> current = null;
        try (BufferedReader in = Files.newBufferedReader(dump)) {
            for (String line; (line = in.readLine()) != null; ) {
                Matcher c = CHUNK_TIME.matcher(line);
                if (c.find()) {
                    current = chunks.computeIfAbsent(Long.parseLong(c.group(1), 16), t -> new HashMap<>());
                    continue;
                }
                Matcher p = PAGE.matcher(line);
                if (p.find() && current != null) {
                    Written w = current.computeIfAbsent(Integer.parseInt(p.group(2), 16), id -> new Written());
                    w.bytes += Long.parseLong(p.group(3));
                    w.pages++;
                    w.leaves += p.group(1).equals("leaf") ? 1 : 0;
                }
            }
        }
        Files.delete(dump);
        if (chunks.isEmpty()) {
            System.out.println("no chunks in " + file);
            return;
        }
        long last = chunks.lastKey();
        long from = Double.isInfinite(seconds) ? Long.MIN_VALUE : last - (long) (seconds * 1000);
        Map<Integer, Written> total = new HashMap<>();
        int chunkCount = 0;
        for (var e : chunks.tailMap(from, true).entrySet()) {
            chunkCount++;
            e.getValue().forEach((id, w) -> {
                Written t = total.computeIfAbsent(id, k -> new Written());
                t.bytes += w.bytes;
                t.pages += w.pages;
                t.leaves += w.leaves;
            });
        }
        Map<Integer, String> names = names(file);
        long bytes = total.values().stream().mapToLong(w -> w.bytes).sum();
        long pages = total.values().stream().mapToLong(w -> w.pages).sum();
        System.out.printf(Locale.ROOT, "%d chunks (commits) in the last %s s before the copy: %.1f MB in %d pages%s%n",
                chunkCount, Double.isInfinite(seconds) ? "all" : args[1], bytes / 1e6, pages,
                orders > 0 ? String.format(Locale.ROOT, ", %.0f bytes per order", (double) bytes / orders) : "");
        total.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue().bytes, a.getValue().bytes)).limit(25)
                .forEach(e -> {
                    Written w = e.getValue();
                    System.out.printf(Locale.ROOT, "%8.2f MB %5.1f%%  %7d pages (%d leaves), %5d B a page  %s%n",
                            w.bytes / 1e6, 100.0 * w.bytes / bytes, w.pages, w.leaves, w.bytes / Math.max(1, w.pages),
                            names.getOrDefault(e.getKey(), "map " + Integer.toHexString(e.getKey())));
                });
    }

    /** Map id -> "TABLE" or "TABLE.INDEX" (H2 names its maps table.N and index.N after the object id N). */
    private static Map<Integer, String> names(Path file) throws Exception {
        Map<Integer, String> mapNames = new HashMap<>();
        MVStore store = new MVStore.Builder().fileName(file.toString()).readOnly().open();
        try {
            for (var e : store.getMetaMap().entrySet()) {
                if (e.getKey().startsWith("name.")) {
                    mapNames.put(Integer.parseInt(e.getValue(), 16), e.getKey().substring("name.".length()));
                }
            }
        } finally {
            store.close();
        }
        Map<String, String> objects = new HashMap<>();
        Path copy = Files.createTempDirectory("h2writes").resolve("q.mv.db");
        Files.copy(file, copy, StandardCopyOption.REPLACE_EXISTING);
        String url = "jdbc:h2:file:" + copy.toString().replace(".mv.db", "") + ";ACCESS_MODE_DATA=r";
        try (Connection c = DriverManager.getConnection(url, System.getenv().getOrDefault("H2_USER", "handoff"),
                System.getenv().getOrDefault("H2_PASSWORD", ""));
                Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("select table_name, db_object_id('TABLE', table_schema, table_name) "
                    + "from information_schema.tables where table_schema = 'PUBLIC'")) {
                while (rs.next()) {
                    objects.put("table." + rs.getInt(2), rs.getString(1));
                }
            }
            try (ResultSet rs = st.executeQuery("select table_name, index_name, db_object_id('INDEX', index_schema, "
                    + "index_name) from information_schema.indexes where index_schema = 'PUBLIC'")) {
                while (rs.next()) {
                    objects.put("index." + rs.getInt(3), rs.getString(1) + "." + rs.getString(2));
                }
            }
        } catch (java.sql.SQLException e) {
            System.out.println("(table names not read: " + e.getMessage() + ")");
        } finally {
            Files.deleteIfExists(copy);
            Files.deleteIfExists(copy.getParent());
        }
        Map<Integer, String> out = new HashMap<>();
        mapNames.forEach((id, name) -> out.put(id, objects.containsKey(name) ? objects.get(name) + " (" + name + ")" : name));
        return out;
    }
}
