package org.handoff.returns;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.handoff.files.FileContext;
import org.handoff.files.FileIntake;
import org.handoff.files.FileRow;
import org.handoff.files.RowRejected;

/**
 * A whole manifest's units per RMA and SKU (the rows parse accepts), from a second pass over the file. A decided
 * return's line can only be compared with the file's total for it: rows of one RMA and SKU add up, and a batch
 * boundary between them made each part look like a change of a line that "cannot change any more".
 */
final class ManifestTotals {

    private final Map<String, Long> units = new HashMap<>();

    private ManifestTotals() {}

    /** Null for a replayed row (no file to read: the row is all there is). */
    static ManifestTotals of(FileContext file, List<String> header,
                             BiFunction<FileRow, FileContext, ReturnsFileHandler.Line> parse) {
        if (file.path() == null) {
            return null;
        }
        ManifestTotals totals = new ManifestTotals();
        try (BufferedReader reader = FileIntake.open(file.path()); CSVParser parser = FileIntake.CSV.parse(reader)) {
            long row = 1;
            boolean first = true;
            for (CSVRecord record : parser) {
                if (first) {
                    first = false; // the header, checked by the intake
                    continue;
                }
                row++;
                if (record.size() != header.size()) {
                    continue; // held by the intake
                }
                try {
                    ReturnsFileHandler.Line l = parse.apply(new FileRow(row, header, record.toList()), file);
                    totals.units.merge(key(l.rma(), l.sku(), l.channel()), l.quantity(), Long::sum);
                } catch (RowRejected e) {
                    // held by the intake: not part of what the file applies
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file.name() + " again", e);
        }
        return totals;
    }

    /**
     * The file's units for this RMA and SKU on the return's channel (0 when it lists none that parse): a row naming
     * another channel is held, not part of the return.
     */
    long units(String rma, String sku, String channel) {
        return units.getOrDefault(key(rma, sku, channel), 0L);
    }

    private static String key(String rma, String sku, String channel) {
        return rma + '\u0000' + sku + '\u0000' + channel;
    }
}
