package org.handoff.lifecycle;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The WMS outbox folder ({@code <data-dir>/outbox/wms/}) when no WMS URL is set: one file per message, named
 * {@link WmsMessage#fileName()}, holding its JSON payload (UTF-8). Written as the file component of the
 * one-message route writes it ({@code tempPrefix: .writing-}, {@code fileExist: Override}): under a temporary
 * name first, then renamed over any earlier copy, so a reader never sees half a ticket and a re-send replaces
 * the same file.
 */
final class WmsFolder {

    static final String TEMP_PREFIX = ".writing-";

    private final Path dir;

    WmsFolder(Path dir) {
        this.dir = dir;
    }

    Path write(WmsMessage m) throws IOException {
        String name = m.fileName();
        Path target = dir.resolve(name);
        if (!dir.equals(target.getParent())) {
            // order ids are the hub's own; this only guards the folder against a name that is not one
            throw new IOException("not a file name of the WMS outbox folder: " + name);
        }
        Path temp = dir.resolve(TEMP_PREFIX + name);
        byte[] bytes = m.payload().getBytes(StandardCharsets.UTF_8);
        try {
            Files.write(temp, bytes);
        } catch (java.nio.file.NoSuchFileException e) {
            Files.createDirectories(dir);
            Files.write(temp, bytes);
        }
        try {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        return target;
    }
}
