package org.handoff.csvinbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;

class CsvOrderProcessorTest {

    /** Groups are read on a thread of their own: a run file that cannot be read still fails the file, on the caller's thread. */
    @Test
    void aGroupThatCannotBeReadFailsTheCallerAndNothingIsSubmitted() {
        // no store at all: the failure must surface before any batch is written
        CsvOrderProcessor processor = new CsvOrderProcessor(null, null, null, 100, 10);
        Iterator<OrderGroup> broken = new Iterator<>() {
            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public OrderGroup next() {
                throw new UncheckedIOException("cannot read a sort run", new IOException("disk gone"));
            }
        };
        CsvOrderProcessor.Tally tally = new CsvOrderProcessor.Tally();
        assertThatThrownBy(() -> processor.process(broken, new CsvOrderProcessor.FileInfo("shopify",
                "orders_shopify_20261122T030000Z.csv", "abc", null), tally, Map.of(), c -> { }))
                .isInstanceOf(UncheckedIOException.class).hasMessageContaining("sort run");
        assertThat(tally.read).isZero();
    }

    @Test
    void noGroupsMeansNoBatch() {
        CsvOrderProcessor processor = new CsvOrderProcessor(null, null, null, 100, 10);
        CsvOrderProcessor.Tally tally = new CsvOrderProcessor.Tally();
        processor.process(new Iterator<>() {
            @Override
            public boolean hasNext() {
                return false;
            }

            @Override
            public OrderGroup next() {
                throw new NoSuchElementException();
            }
        }, new CsvOrderProcessor.FileInfo("shopify", "orders_shopify_20261122T030000Z.csv", "abc", null), tally,
                Map.of(), c -> { });
        assertThat(tally.read).isZero();
    }
}
