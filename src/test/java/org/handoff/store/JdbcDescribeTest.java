package org.handoff.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.BatchUpdateException;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/** Failures as log lines show them: a database error never with the values its driver quotes. */
class JdbcDescribeTest {

    @Test
    void aDatabaseErrorIsItsStateAndCodeNotTheQuotedValues() {
        SQLException refused = new BatchUpdateException("Batch entry 0 insert into orders (...) values ('Jörg', "
                + "'Weg 1', 'joerg@example.com') was aborted: value too long", "22001", 0, new int[0]);
        RuntimeException wrapped = Jdbc.translate(refused);

        String line = Jdbc.describe(wrapped);

        assertThat(line).isEqualTo("database error, SQLState 22001 (code 0)");
        assertThat(line).doesNotContain("Jörg", "Weg 1", "example.com");
    }

    @Test
    void anyOtherFailureKeepsItsMessage() {
        assertThat(Jdbc.describe(new IllegalStateException("order shopify 907 was looked up but is gone")))
                .isEqualTo("IllegalStateException: order shopify 907 was looked up but is gone");
    }
}
