package org.handoff.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator API's bearer token: {@code HANDOFF_API_TOKEN} from the environment, else a random
 * token generated once into {@code <data>/api-token} (mode 0600). Only the file's path is ever logged.
 */
public final class ApiToken {

    private static final Logger LOG = LoggerFactory.getLogger(ApiToken.class);

    private final byte[] token;

    private ApiToken(String token) {
        this.token = token.getBytes(StandardCharsets.UTF_8);
    }

    public static ApiToken resolve(Map<String, String> env, Path dataDir) {
        String fromEnv = env.get("HANDOFF_API_TOKEN");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return new ApiToken(fromEnv.trim());
        }
        Path file = dataDir.resolve("api-token");
        try {
            if (Files.exists(file)) {
                String stored = Files.readString(file, StandardCharsets.UTF_8).trim();
                if (!stored.isEmpty()) {
                    LOG.info("operator API token read from {}", file.toAbsolutePath());
                    return new ApiToken(stored);
                }
            }
            Files.createDirectories(dataDir);
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            String generated = HexFormat.of().formatHex(random);
            Files.deleteIfExists(file);
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException e) {
                Files.createFile(file);
            }
            Files.writeString(file, generated + "\n", StandardCharsets.UTF_8);
            LOG.info("HANDOFF_API_TOKEN is not set: generated an operator API token into {}", file.toAbsolutePath());
            return new ApiToken(generated);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the operator API token file " + file, e);
        }
    }

    /** Constant-time comparison, so response timing tells nothing about the token. */
    public boolean matches(String presented) {
        if (presented == null) {
            return false;
        }
        return MessageDigest.isEqual(token, presented.getBytes(StandardCharsets.UTF_8));
    }
}
