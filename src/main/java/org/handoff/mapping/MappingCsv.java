package org.handoff.mapping;

import java.io.IOException;
import java.io.Reader;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/** Reads a mapping CSV whose header must be exactly the expected columns, in order. */
final class MappingCsv {

    private MappingCsv() {}

    static List<CSVRecord> read(Reader reader, String file, List<String> header) throws MappingException {
        CSVFormat format = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).setTrim(true)
                .setIgnoreEmptyLines(true).setCommentMarker('#').get();
        try (CSVParser parser = CSVParser.builder().setReader(reader).setFormat(format).get()) {
            if (!parser.getHeaderNames().equals(header)) {
                throw new MappingException(file + ":1: header must be " + String.join(",", header) + " but is "
                        + String.join(",", parser.getHeaderNames()));
            }
            List<CSVRecord> rows = parser.getRecords();
            for (CSVRecord row : rows) {
                if (!row.isConsistent()) {
                    throw new MappingException(file + ":" + (row.getRecordNumber() + 1) + ": expected "
                            + header.size() + " columns, found " + row.size());
                }
            }
            return rows;
        } catch (IOException | IllegalStateException | java.io.UncheckedIOException e) {
            throw new MappingException(file + ": " + e.getMessage());
        }
    }

    static String required(CSVRecord row, String column, String where) throws MappingException {
        String value = row.get(column).trim();
        if (value.isEmpty()) {
            throw new MappingException(where + ": " + column + " is empty");
        }
        return value;
    }

    /**
     * A SKU code: non-empty and at most the 100 characters every table keeps a SKU in. A longer code would pass
     * the mapping and then fail each file batch or order that resolves to it, so the file is rejected here.
     */
    static String sku(CSVRecord row, String column, String where) throws MappingException {
        String value = required(row, column, where);
        if (value.length() > SKU_WIDTH) {
            throw new MappingException(where + ": " + column + " is " + value.length() + " characters long; at most "
                    + SKU_WIDTH + " are stored");
        }
        return value;
    }

    static final int SKU_WIDTH = 100;
}
