-- Physical stock per warehouse location, as the WMS last counted it (inventory_<WAREHOUSE>_<ts>.csv).
-- stock.on_hand is the sum of these rows; snapshots write only the rows whose count changed and
-- move stock.on_hand by the difference, so a 2%-changed snapshot writes 2% of the rows.
create table stock_location (
    warehouse   varchar(50)  not null,
    sku         varchar(100) not null,
    location    varchar(100) not null,
    on_hand     bigint       not null,
    counted_at  timestamp with time zone not null,
    primary key (warehouse, sku, location)
);

-- The newest snapshot applied per warehouse: an older one is held STALE_SNAPSHOT.
create table inventory_watermarks (
    warehouse    varchar(50) primary key,
    snapshot_at  timestamp with time zone not null,
    receipt_id   bigint,
    applied_at   timestamp with time zone not null
);
