package org.handoff.csvinbox;

import org.handoff.Wiring;
import org.handoff.files.FileIntake;
import org.handoff.holds.HoldStore;
import org.handoff.order.OrderPipeline;

/** Wires the CSV inbox: the {@code orders} drop-folder kind on top of the shared intake and the order pipeline. */
public final class CsvInboxModule {

    private CsvInboxModule() {}

    public static void wire(Wiring w) {
        int maxRowsPerOrder = w.config().getInt("handoff.csv-inbox.max-lines-per-order", 1000);
        CsvOrderProcessor processor = new CsvOrderProcessor(w.jdbc(), w.get(OrderPipeline.class),
                w.get(HoldStore.class), maxRowsPerOrder,
                w.config().getInt("handoff.csv-inbox.batch-orders", 500));
        FileIntake intake = w.get(FileIntake.class);
        CsvOrderInbox inbox = w.bind("csvOrderInbox", new CsvOrderInbox(processor, intake.receipts(),
                w.config().dataDir().resolve("tmp").resolve("csv-inbox"),
                w.config().getInt("handoff.csv-inbox.sort-chunk-rows", 20000), maxRowsPerOrder));
        intake.register(inbox.kind());
    }
}
