-- Per warehouse and SKU, a digest of its stock_location counts (org.handoff.inventory.LocationDigests): the
-- wrapping sum of a 64-bit hash of each (location, on_hand) with on_hand <> 0, and how many such locations.
-- A snapshot compares each SKU's listed counts with it and reads the SKU's location rows only when they
-- differ; the sum of locations tells whether the snapshot left out a non-zero location. Every writer of
-- stock_location keeps it in the same transaction. V17 fills it for rows stored before this version.
create table stock_location_digest (
    sku        varchar(100) not null,
    warehouse  varchar(50)  not null,
    digest     bigint       not null,
    locations  bigint       not null,
    primary key (sku, warehouse)
);
