package org.handoff.csvinbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SortLeftoversTest {

    @Test
    void onlySortFoldersUntouchedForAnHourAreRemovedAnotherHubsRunningSortStays(@TempDir Path root) throws Exception {
        Instant now = Instant.parse("2026-11-25T03:00:00Z");
        Path dead = Files.createDirectories(root.resolve("orders-sort-1"));
        Path deadRun = Files.writeString(dead.resolve("run-0.csv"), "x");
        touch(deadRun, now.minusSeconds(7200));
        touch(dead, now.minusSeconds(7200));
        // another hub sorting right now: an old folder with a run file it has just written
        Path live = Files.createDirectories(root.resolve("orders-sort-2"));
        Path older = Files.writeString(live.resolve("run-0.csv"), "x");
        Path fresh = Files.writeString(live.resolve("run-1.csv"), "x");
        touch(older, now.minusSeconds(7200));
        touch(live, now.minusSeconds(7200));
        touch(fresh, now.minusSeconds(60));

        CsvOrderInbox.removeLeftovers(root, now);

        // before: the whole root was cleared at every start, the other hub's runs with it
        assertThat(dead).doesNotExist();
        assertThat(fresh).exists();
        assertThat(older).exists();
        assertThat(root).exists();
    }

    private static void touch(Path p, Instant at) throws Exception {
        Files.setLastModifiedTime(p, FileTime.from(at));
    }
}
