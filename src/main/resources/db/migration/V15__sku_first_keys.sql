-- Lookups go by a batch of SKUs (sku in (...)) within one warehouse or channel. H2 uses only the
-- leading key column for such a lookup, so with (warehouse, sku, ...) every batch scanned the whole
-- warehouse. SKU first makes each lookup an index probe on H2 and PostgreSQL alike.
create table stock_location_by_sku (
    warehouse   varchar(50)  not null,
    sku         varchar(100) not null,
    location    varchar(100) not null,
    on_hand     bigint       not null,
    counted_at  timestamp with time zone not null,
    primary key (sku, warehouse, location)
);
insert into stock_location_by_sku (warehouse, sku, location, on_hand, counted_at)
    select warehouse, sku, location, on_hand, counted_at from stock_location;
drop table stock_location;
alter table stock_location_by_sku rename to stock_location;

create table ats_pushed_by_sku (
    channel    varchar(100) not null,
    sku        varchar(100) not null,
    available  bigint       not null,
    pushed_at  timestamp with time zone not null,
    primary key (sku, channel)
);
insert into ats_pushed_by_sku (channel, sku, available, pushed_at)
    select channel, sku, available, pushed_at from ats_pushed;
drop table ats_pushed;
alter table ats_pushed_by_sku rename to ats_pushed;
