package org.handoff.files;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.Exchange;
import org.apache.camel.component.file.GenericFile;
import org.apache.camel.component.file.GenericFileEndpoint;
import org.apache.camel.component.file.GenericFileOperations;
import org.apache.camel.component.file.strategy.MarkerFileExclusiveReadLockStrategy;
import org.handoff.holds.Hold;
import org.handoff.holds.HoldRequest;
import org.handoff.holds.HoldStatus;
import org.handoff.holds.HoldStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When a drop-folder file is complete (DESIGN §5: "stable size, or a {@code .done} marker"), for every drop folder
 * at once: each file route names this bean as its {@code exclusiveReadLockStrategy}.
 * <ul>
 *   <li>A file with its marker beside it ({@code <name>.done}, the file's full name plus {@code .done}, e.g.
 *       {@code inventory_WH1_20261125T060000Z.csv.done}) is taken at the next poll, without waiting.</li>
 *   <li>A file without one is taken once it has not been modified for {@code handoff.inbox.stable-ms} (Camel's
 *       {@code readLock: changed} with {@code readLockMinAge}, as before) — unless
 *       {@code handoff.inbox.require-done-marker} is true: then it waits for its marker however old it is.</li>
 * </ul>
 * The marker is never a data file (the routes take
 * {@code *.csv} only); {@link FileIntake#finish} moves it beside its file into {@code .done/} or {@code .failed/}
 * ({@link #moveBeside}). A marker whose file is not there waits; one still alone after
 * {@code handoff.inbox.orphan-marker-ms} is held {@code ORPHAN_DONE_MARKER} (left in place: if its file comes
 * after all, it is still taken at once, and that hold is resolved). {@link #sweep} looks for those.
 * Camel's own {@code .camelLock} file while a file is read stays as with {@code readLock: changed}.
 */
public final class DoneMarkers extends MarkerFileExclusiveReadLockStrategy {

    private static final Logger LOG = LoggerFactory.getLogger(DoneMarkers.class);

    public static final String SUFFIX = ".done";
    public static final String ORPHAN = "ORPHAN_DONE_MARKER";
    /** Who resolves a marker's hold when its file comes. */
    static final String ACTOR = "system:drop-folders";
    /** How often a file waiting to be stable is looked at again (for its marker, too). */
    private static final long MARKER_CHECK_MS = 100;

    private final long stableMs;
    private final boolean required;
    private final long orphanMs;
    private final HoldStore holds;
    /** The folders whose routes use this strategy (each consumer announces its own at start). */
    private final Set<Path> folders = ConcurrentHashMap.newKeySet();
    /** Files waiting for their marker that were logged already (path and modification time). */
    private final Set<String> waitingLogged = ConcurrentHashMap.newKeySet();

    public DoneMarkers(long stableMs, boolean required, long orphanMs, HoldStore holds) {
        this.stableMs = stableMs;
        this.required = required;
        this.orphanMs = orphanMs;
        this.holds = holds;
    }

    /** {@code handoff.inbox.require-done-marker}: a file is taken only with its marker. */
    public boolean required() {
        return required;
    }

    /** The marker that says {@code file} is complete. */
    public static Path markerOf(Path file) {
        return file.resolveSibling(file.getFileName() + SUFFIX);
    }

    static boolean isMarker(String name) {
        return name.endsWith(SUFFIX) && name.length() > SUFFIX.length() && !name.startsWith(".");
    }

    // ---- the read lock: is the file complete? --------------------------------------------------

    @Override
    public void prepareOnStartup(GenericFileOperations<File> operations, GenericFileEndpoint<File> endpoint) {
        super.prepareOnStartup(operations, endpoint);
        folders.add(Path.of(endpoint.getConfiguration().getDirectory()).toAbsolutePath().normalize());
    }

    @Override
    public boolean acquireExclusiveReadLock(GenericFileOperations<File> operations, GenericFile<File> file,
                                            Exchange exchange) throws Exception {
        Path path = Path.of(file.getAbsoluteFilePath());
        if (!complete(path)) {
            return false;
        }
        return super.acquireExclusiveReadLock(operations, file, exchange);
    }

    /**
     * Whether the file is complete: its marker is there, or (markers not required) it has not been modified for
     * stable-ms. As Camel's {@code readLock: changed} with {@code readLockMinAge} and no timeout did, a file found not
     * stable yet is waited for here, so the files of one poll are still taken in name order (an older count written
     * slowly is not overtaken by a newer one and then held stale); the marker is looked for all the while, so a file
     * whose marker comes meanwhile is taken at once. With markers required, a file without one is left for the next
     * poll. False when the file went away or the hub is stopping.
     */
    boolean complete(Path path) {
        Path marker = markerOf(path);
        while (true) {
            if (Files.exists(marker)) {
                LOG.debug("file {} has its marker: taken now", path.getFileName());
                return true;
            }
            if (required) {
                return false;
            }
            long modified = path.toFile().lastModified();
            if (modified == 0) {
                return false; // gone
            }
            // the file system's clock, not the hub's: a hub run on a shifted clock still takes its files
            if (stableMs <= 0 || modified < System.currentTimeMillis() - stableMs) {
                return true;
            }
            try {
                Thread.sleep(Math.min(stableMs, MARKER_CHECK_MS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    // ---- after the file: its marker goes with it -----------------------------------------------

    /**
     * Moves the marker of {@code file} (if there) into {@code folder} beside the file, which was moved there as
     * {@code target}; resolves the marker's orphan hold if it had one. Called after the file's own move.
     */
    public void moveBeside(String kind, Path file, Path target) {
        Path marker = markerOf(file);
        if (!Files.exists(marker)) {
            return;
        }
        try {
            Files.move(marker, markerOf(target), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            // the file is taken: a marker left behind is one without its file, held as such by the sweep
            LOG.warn("file {} ({}) was taken, but its marker could not be moved beside it: {}", file.getFileName(),
                    kind, e.getMessage());
            return;
        }
        resolveOrphanHold(kind, marker.getFileName().toString());
    }

    private void resolveOrphanHold(String kind, String markerName) {
        try {
            holds.jdbc().inTransaction(c -> {
                Optional<Hold> open = holds.findOpen(c, ORPHAN, markerName);
                if (open.isPresent() && holds.close(c, open.get().holdId(), HoldStatus.resolved)) {
                    // as every automatic resolve records it: the system's actor, no note, the fact as outcome
                    holds.recordAction(c, open.get().holdId(), "resolve", ACTOR, null,
                            "its file came after all and was taken with it");
                    LOG.info("marker {} ({}): its file came and was taken; hold {} resolved", markerName, kind,
                            open.get().holdId());
                }
                return null;
            });
        } catch (RuntimeException e) {
            LOG.warn("marker {} ({}): its file was taken, but its orphan hold could not be resolved now: {}",
                    markerName, kind, e.getMessage());
        }
    }

    // ---- markers alone for long ----------------------------------------------------------------

    /**
     * Holds {@code ORPHAN_DONE_MARKER} for each marker whose file has not been there for
     * {@code handoff.inbox.orphan-marker-ms} (one hold per marker; the marker stays in place); with markers required,
     * logs once each file that has waited that long for its marker.
     */
    public void sweep() {
        long now = System.currentTimeMillis(); // compared with files' modification times
        for (Path folder : folders) {
            String kind = folder.getFileName().toString();
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder)) {
                for (Path entry : entries) {
                    String name = entry.getFileName().toString();
                    if (name.startsWith(".") || !Files.isRegularFile(entry)) {
                        continue;
                    }
                    long modified = entry.toFile().lastModified();
                    if (modified == 0 || now - modified < orphanMs) {
                        continue;
                    }
                    if (isMarker(name)) {
                        Path file = entry.resolveSibling(name.substring(0, name.length() - SUFFIX.length()));
                        if (!Files.exists(file)) {
                            holdOrphan(kind, folder, name, modified);
                        }
                    } else if (required && name.endsWith(".csv") && !Files.exists(markerOf(entry))
                            && waitingLogged.add(entry + "@" + modified)) {
                        LOG.warn("file {} ({}) has waited {} s for its marker {}{} (handoff.inbox.require-done-marker "
                                + "is true): it is not taken without it", name, kind, (now - modified) / 1000, name,
                                SUFFIX);
                    }
                }
            } catch (IOException | UncheckedIOException e) {
                LOG.warn("drop folder {} could not be listed for markers: {}", kind, e.getMessage());
            }
        }
    }

    private void holdOrphan(String kind, Path folder, String name, long modified) {
        String dataName = name.substring(0, name.length() - SUFFIX.length());
        String detail = "marker " + name + " has been in data/inbox/" + kind + "/ for over "
                + orphanMs / 1000 + " s without its file " + dataName + "; the marker is left in place, and the file "
                + "is still taken at once if it comes (this hold is then resolved). A marker is the file's full name "
                + "plus .done (e.g. " + exampleName(kind) + ".done)";
        List<String> takenBefore = List.of(".done", ".failed").stream()
                .filter(f -> Files.exists(folder.resolve(f).resolve(dataName))).toList();
        if (!takenBefore.isEmpty()) {
            detail += "; a file of that name was taken before (" + String.join(", ", takenBefore) + "/): the marker may "
                    + "have come after its file was found complete by its stable size";
        }
        detail += ". Discard this hold once handled (delete the marker if its file will not come).";
        try {
            String key = "done-marker:" + kind + ":" + name + ":" + modified;
            // one hold per marker, whatever became of it (a discarded one is not raised again)
            if (holds.jdbc().queryOne("select hold_id from holds where dedupe_key = ?", rs -> rs.getLong(1), key)
                    .isEmpty()) {
                long holdId = holds.raise(HoldRequest.of(ORPHAN, "file:" + kind, name, detail).withDedupeKey(key), null);
                LOG.warn("marker {} ({}) has no file {} after {} s: held {} (hold {}); left in place", name, kind,
                        dataName, orphanMs / 1000, ORPHAN, holdId);
            }
        } catch (RuntimeException e) {
            LOG.warn("marker {} ({}) is alone, and its hold could not be written now: {}", name, kind, e.getMessage());
        }
    }

    private static String exampleName(String kind) {
        return switch (kind) {
            case "inventory" -> "inventory_WH1_20261125T060000Z.csv";
            case "dispatch" -> "dispatch_WH1_20261125T060000Z.csv";
            case "orders" -> "orders_shopify_20261125T060000Z.csv";
            case "settlements" -> "settlement_shopify_20261125T060000Z.csv";
            default -> kind + "_20261125T060000Z.csv";
        };
    }
}
