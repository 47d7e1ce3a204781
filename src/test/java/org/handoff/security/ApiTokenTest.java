package org.handoff.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiTokenTest {

    @TempDir
    Path data;

    @Test
    void tokenFromTheEnvironmentWinsAndNothingIsWritten() {
        ApiToken token = ApiToken.resolve(Map.of("HANDOFF_API_TOKEN", "s3cret"), data);
        assertThat(token.matches("s3cret")).isTrue();
        assertThat(token.matches("s3cre")).isFalse();
        assertThat(token.matches(null)).isFalse();
        assertThat(data.resolve("api-token")).doesNotExist();
    }

    @Test
    void withoutTheEnvironmentATokenIsGeneratedOnceIntoAnOwnerOnlyFile() throws Exception {
        ApiToken first = ApiToken.resolve(Map.of(), data);
        Path file = data.resolve("api-token");
        assertThat(file).exists();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        String stored = Files.readString(file).trim();
        assertThat(stored).hasSize(64);
        assertThat(first.matches(stored)).isTrue();
        ApiToken again = ApiToken.resolve(Map.of(), data);
        assertThat(again.matches(stored)).isTrue();
    }
}
