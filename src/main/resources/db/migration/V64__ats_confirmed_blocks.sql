-- What each channel last confirmed, packed (org.handoff.inventory.AtsBlocks): a channel's SKUs are spread over
-- 1,024 blocks by the SKU's Java String hash, one row per block holding 'sku=value;sku=value' (SKU order,
-- '\' escapes '\', '=' and ';' in codes); entries counts its SKUs. A daily snapshot's changes fall in nearly
-- every block: one row per SKU made them ~37,000 row updates, packed they rewrite at most 1,024 rows per
-- channel. V65 moves the rows of ats_pushed here and drops it; ats_pushed_journal is unchanged.
create table ats_confirmed (
    channel      varchar(100) not null,
    block        integer      not null,
    confirmed    varchar      not null,
    entries      integer      not null,
    recorded_at  timestamp with time zone not null,
    primary key (channel, block)
);
