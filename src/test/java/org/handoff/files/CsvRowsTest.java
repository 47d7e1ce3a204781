package org.handoff.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fast reader returns exactly what commons-csv returns (records, and where and how the CSV breaks). */
class CsvRowsTest {

    @TempDir
    Path dir;

    @Test
    void plainRecordsEmptyLinesAndLineEndsAreReadAsCommonsCsvReadsThem() throws IOException {
        assertSame("sku,location,on_hand\nA,L1,3\r\nB,L2,4\r\rC,,\n\n\n,\nD,L 1 , 5 \n  \nE,L1,6");
        assertSame("\n\r\nsku,location\nA,1\n");
        assertSame("");
        assertSame("\n\n");
        assertSame("a,b,\n,,\n,\n");
    }

    @Test
    void aQuoteHandsOverToCommonsCsvWithTheSameRecordsAndErrors() throws IOException {
        assertSame("sku,location,on_hand\nA,L1,3\n\"B\",\"L,2\",4\nC,L3,5\n");
        assertSame("sku,location,on_hand\nA,L1,3\nB,\"L\n2\",4\r\nC,L3,5\n");
        assertSame("sku,location,on_hand\nA,L1,3\nB,L\"2,4\nC,L3,5\n"); // a quote inside an unquoted field
        assertSame("sku,location,on_hand\nA,L1,3\nB,\"L2,4\nC,L3,5\n"); // broken: an unclosed quote
        assertSame("sku,location,on_hand\nA,L1,3\nB,\"L2\"x,4\nC,L3,5\n"); // broken: text after the closing quote
    }

    @Test
    void repeatedValuesAreTheSameStringsAndStillRightAcrossTheBuffersEdges() throws IOException {
        StringBuilder text = new StringBuilder("sku,location,on_hand\n");
        for (int i = 0; i < 2_000; i++) {
            text.append("SKU-").append(i / 10).append(",A-").append(i % 10).append(',').append(i % 7).append('\n');
        }
        for (int buffer : new int[] {1, 2, 3, 7, 64, 1 << 16}) {
            assertSame(text.toString(), buffer);
        }
        Path file = write(text.toString());
        try (CsvRows rows = new CsvRows(file, 0, true)) {
            rows.next();
            String[] first = rows.next();
            String[] second = rows.next();
            assertThat(second[0]).isSameAs(first[0]);
        }
    }

    @Test
    void randomTextReadsAsCommonsCsvReadsIt() throws IOException {
        Random random = new Random(7);
        String alphabet = "ab,,, \r\n\n\"";
        for (int round = 0; round < 3_000; round++) {
            StringBuilder text = new StringBuilder();
            int length = random.nextInt(60);
            boolean quotes = random.nextInt(3) == 0;
            for (int i = 0; i < length; i++) {
                char ch = alphabet.charAt(random.nextInt(alphabet.length() - (quotes ? 0 : 1)));
                text.append(ch);
            }
            assertSame(text.toString(), 1 + random.nextInt(8));
        }
    }

    @Test
    void templateLinesBeforeTheHeaderAreSkipped() throws IOException {
        Path file = write("# template: orders-v1\nid,name\n1,\"x\"\n2,y\n");
        for (boolean fast : new boolean[] {true, false}) {
            assertThat(read(file, 1, fast, 64)).containsExactly("[id, name]", "[1, x]", "[2, y]");
        }
    }

    @Test
    void eachRecordIsNumberedByTheLineItStartsOnAsAnEditorShowsIt() throws IOException {
        // empty lines count; a CRLF is one line end, a lone CR one too; a quoted value's line breaks make its record
        // span lines, and the record after it starts further down
        String text = "sku,location,on_hand\n\nA,L1,3\r\n\r\nB,\"L\n2\",4\r\nC,\"x\r\n\r\ny\",5\n,,\n\rD,L4,6";
        for (boolean fast : new boolean[] {true, false}) {
            for (int buffer : new int[] {1, 2, 3, 64}) {
                assertThat(lines(write(text), 0, fast, buffer)).as("fast %s, buffer %s", fast, buffer).containsExactly(
                        "1 [sku, location, on_hand]", "3 [A, L1, 3]", "5 [B, L\\n2, 4]", "7 [C, x\\r\\n\\r\\ny, 5]",
                        "10 [, , ]", "12 [D, L4, 6]");
            }
        }
        // a template line before the header is line 1
        Path orders = write("# template: orders-v1\nid,name\n\n1,\"x\"\n2,y\n");
        for (boolean fast : new boolean[] {true, false}) {
            assertThat(lines(orders, 1, fast, 64)).containsExactly("2 [id, name]", "4 [1, x]", "5 [2, y]");
        }
        // where an unreadable record starts: the first line after the last good record that is not empty
        Path broken = write("sku,location,on_hand\nA,L1,3\n\n\nB,\"L2,4\nC,L3,5\n");
        for (boolean fast : new boolean[] {true, false}) {
            assertThat(lines(broken, 0, fast, 64)).containsExactly("1 [sku, location, on_hand]", "2 [A, L1, 3]",
                    "broken at 5");
        }
    }

    private void assertSame(String text) throws IOException {
        assertSame(text, 4);
        assertSame(text, 1 << 16);
    }

    private void assertSame(String text, int buffer) throws IOException {
        Path file = write(text);
        List<String> expected = new ArrayList<>();
        try (CSVParser parser = FileIntake.CSV.parse(Files.newBufferedReader(file))) {
            Iterator<CSVRecord> it = parser.iterator();
            while (true) {
                try {
                    if (!it.hasNext()) {
                        break;
                    }
                    expected.add(List.of(it.next().values()).toString());
                } catch (RuntimeException e) {
                    expected.add(e.getClass().getSimpleName() + ": " + e.getMessage());
                    break;
                }
            }
        }
        assertThat(read(file, 0, true, buffer)).as("%s", text.replace("\r", "\\r").replace("\n", "\\n"))
                .isEqualTo(expected);
        assertThat(read(file, 0, false, buffer)).isEqualTo(expected);
        assertThat(lines(file, 0, true, buffer)).as("%s", text.replace("\r", "\\r").replace("\n", "\\n"))
                .isEqualTo(lines(file, 0, false, buffer));
    }

    /** Each record with the line it starts on ({@link CsvRows#line}), then where the CSV broke, if it did. */
    private static List<String> lines(Path file, int skip, boolean fast, int buffer) throws IOException {
        return records(file, skip, fast, buffer, true);
    }

    private static List<String> read(Path file, int skip, boolean fast, int buffer) throws IOException {
        return records(file, skip, fast, buffer, false);
    }

    /** The records as text (with their line, or the exception that broke the file), read one way or the other. */
    private static List<String> records(Path file, int skip, boolean fast, int buffer, boolean withLines)
            throws IOException {
        List<String> out = new ArrayList<>();
        try (CsvRows rows = new CsvRows(file, skip, fast, buffer)) {
            while (true) {
                try {
                    String[] record = rows.next();
                    if (record == null) {
                        break;
                    }
                    out.add(withLines ? rows.line() + " " + List.of(record).toString().replace("\r", "\\r")
                            .replace("\n", "\\n") : List.of(record).toString());
                } catch (RuntimeException e) {
                    out.add(withLines ? "broken at " + rows.brokenLine() : e.getClass().getSimpleName() + ": "
                            + e.getMessage());
                    break;
                }
            }
        }
        return out;
    }

    private Path write(String text) throws IOException {
        Path file = Files.createTempFile(dir, "rows", ".csv");
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }
}
