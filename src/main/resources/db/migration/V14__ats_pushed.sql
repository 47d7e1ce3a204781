-- The last available-to-sell value each channel confirmed receiving, per SKU: only values that differ
-- from it are pushed again.
create table ats_pushed (
    channel    varchar(100) not null,
    sku        varchar(100) not null,
    available  bigint       not null,
    pushed_at  timestamp with time zone not null,
    primary key (channel, sku)
);
