package db.migration;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.OffsetDateTime;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;
import org.handoff.inventory.AtsBlocks;

/**
 * Moves what channels confirmed from {@code ats_pushed} (one row per channel and SKU) into the blocks of
 * {@code ats_confirmed} (V64), then drops {@code ats_pushed}. The block of a SKU is Java's
 * ({@link AtsBlocks#block}), so this step cannot be SQL. One channel at a time: its blocks' texts are built in
 * memory (about 20 bytes per SKU), in whatever order the rows come; a block's time is its newest row's. A
 * fresh database has no rows: it only drops the table.
 */
public class V65__Ats_confirmed_from_ats_pushed extends BaseJavaMigration {

    @Override
    public void migrate(Context context) throws Exception {
        Connection c = context.getConnection();
        try (Statement read = c.createStatement();
             PreparedStatement insert = c.prepareStatement("insert into ats_confirmed (channel, block, confirmed, "
                     + "entries, recorded_at) values (?, ?, ?, ?, ?)")) {
            read.setFetchSize(5_000);
            String channel = null;
            Blocks blocks = null;
            try (ResultSet rs = read.executeQuery("select channel, sku, available, pushed_at from ats_pushed "
                    + "order by channel")) {
                while (rs.next()) {
                    String ch = rs.getString(1);
                    if (!ch.equals(channel)) {
                        if (blocks != null) {
                            blocks.insert(insert, channel);
                        }
                        channel = ch;
                        blocks = new Blocks();
                    }
                    blocks.add(rs.getString(2), rs.getLong(3), rs.getObject(4, OffsetDateTime.class));
                }
            }
            if (blocks != null) {
                blocks.insert(insert, channel);
            }
        }
        try (Statement drop = c.createStatement()) {
            drop.execute("drop table ats_pushed");
        }
    }

    /** One channel's blocks as they fill. */
    private static final class Blocks {
        private final StringBuilder[] texts = new StringBuilder[AtsBlocks.BLOCKS];
        private final int[] entries = new int[AtsBlocks.BLOCKS];
        private final OffsetDateTime[] newest = new OffsetDateTime[AtsBlocks.BLOCKS];

        void add(String sku, long available, OffsetDateTime at) {
            int b = AtsBlocks.block(sku);
            if (texts[b] == null) {
                texts[b] = new StringBuilder();
            }
            AtsBlocks.append(texts[b], sku, available);
            entries[b]++;
            if (newest[b] == null || at.isAfter(newest[b])) {
                newest[b] = at;
            }
        }

        void insert(PreparedStatement insert, String channel) throws Exception {
            for (int b = 0; b < texts.length; b++) {
                if (texts[b] != null) {
                    insert.setString(1, channel);
                    insert.setInt(2, b);
                    insert.setString(3, texts[b].toString());
                    insert.setInt(4, entries[b]);
                    insert.setObject(5, newest[b]);
                    insert.addBatch();
                }
            }
            insert.executeBatch();
        }
    }
}
