package org.handoff.files;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.handoff.api.Json;
import org.handoff.testing.TestHub;

/** Test helpers for any drop-folder kind: drop a file whole, wait for its report. */
public final class DropFolders {

    public static final Duration WAIT = Duration.ofSeconds(20);

    private DropFolders() {}


    /** Writes the file beside the inbox first, then moves it in whole, as a well-behaved sender does. */
    public static Path drop(TestHub hub, String kind, String name, String content) throws Exception {
        Path inbox = hub.inbox(kind);
        Path temp = Files.createTempFile(hub.dataDir(), "drop", ".tmp");
        Files.writeString(temp, content);
        Path target = inbox.resolve(name);
        Files.move(temp, target);
        return target;
    }

    /** Waits for the file to land in {@code .done} or {@code .failed} and returns its report. */
    public static JsonNode awaitReport(Path dropped, String folder) throws Exception {
        Path report = dropped.getParent().resolve(folder).resolve(dropped.getFileName() + ".report.json");
        Path other = dropped.getParent().resolve(folder.equals(".done") ? ".failed" : ".done")
                .resolve(dropped.getFileName() + ".report.json");
        await().atMost(WAIT).until(() -> (Files.exists(report) || Files.exists(other)) && !Files.exists(dropped));
        if (!Files.exists(report)) {
            throw new AssertionError("expected " + dropped.getFileName() + " in " + folder + ", got: "
                    + Files.readString(other));
        }
        return Json.MAPPER.readTree(Files.readString(report));
    }

    public static long onHand(TestHub hub, String sku) {
        return hub.api().get("/api/inventory/" + sku).json().get("onHand").asLong();
    }

}
