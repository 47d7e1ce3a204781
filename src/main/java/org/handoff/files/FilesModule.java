package org.handoff.files;

import java.time.Duration;
import java.util.UUID;
import org.handoff.Wiring;
import org.handoff.holds.HoldStore;

/**
 * Wires the drop-folder pattern. Another kind plugs in with a route file and a {@link RowHandler}:
 * {@code w.get(FileIntake.class).register(new FileKind(...))} in its own module, wired after this one.
 */
public final class FilesModule {

    private FilesModule() {}

    public static void wire(Wiring w) {
        String node = UUID.randomUUID().toString();
        Duration lease = Duration.ofMillis(w.config().getInt("handoff.inbox.lease-ms", 120_000));
        FileReceipts receipts = new FileReceipts(w.jdbc(), w.clock(), node, lease);
        int batchRows = w.config().getInt("handoff.inbox.batch-rows", 5000);
        FileIntake intake = w.bind("fileIntake", new FileIntake(receipts, w.get(HoldStore.class), w.metrics(),
                w.clock(), batchRows));
        w.bind("filesApi", new FilesApi(intake));
    }
}
