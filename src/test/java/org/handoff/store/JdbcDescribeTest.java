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

    @Test
    void aTransactionTheDatabaseRolledBackIsATransientFault() {
        // PostgreSQL's deadlock (40P01) and serialization failure (40001) come as plain SQLExceptions
        RuntimeException deadlock = Jdbc.translate(new SQLException("deadlock detected: process 12 waits for ...", "40P01"));
        assertThat(org.handoff.holds.HoldService.isTransient(deadlock)).isTrue();
        assertThat(Jdbc.describe(deadlock)).isEqualTo("database error, SQLState 40P01 (code 0)");
        assertThat(org.handoff.holds.HoldService.isTransient(Jdbc.translate(new SQLException("could not serialize",
                "40001")))).isTrue();
        // a constraint is not worth doing again
        assertThat(org.handoff.holds.HoldService.isTransient(Jdbc.translate(new SQLException("duplicate key",
                "23505")))).isFalse();
    }
}
