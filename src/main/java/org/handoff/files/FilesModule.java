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
        // when a file is complete: its .done marker, or its size stable (routes: exclusiveReadLockStrategy)
        DoneMarkers markers = w.bind("doneMarkers", new DoneMarkers(
                w.config().getInt("handoff.inbox.stable-ms", 1000, 0),
                w.config().getBoolean("handoff.inbox.require-done-marker", false),
                w.config().getInt("handoff.inbox.orphan-marker-ms", 600_000, 0),
                w.get(HoldStore.class)));
        FileIntake intake = w.bind("fileIntake", new FileIntake(receipts, w.get(HoldStore.class), w.metrics(),
                w.clock(), batchRows, markers));
        w.bind("filesApi", new FilesApi(intake));
    }
}
