-- The ERP's master catalog (owner: ERP, through catalog_<ts>.csv drops).
create table catalog (
    sku          varchar(100) primary key,
    barcode      varchar(100),
    description  varchar(1000),
    active       boolean      not null,
    updated_at   timestamp with time zone not null
);

-- Stock per master SKU, summed over warehouses and locations. on_hand is owned by the WMS (its count
-- overwrites it); reserved is owned by the hub (accepted orders not yet picked). Available to sell is
-- derived: max(0, on_hand - reserved - safety stock), never stored.
create table stock (
    sku            varchar(100) primary key,
    on_hand        bigint       not null default 0,
    reserved       bigint       not null default 0,
    quarantined    bigint       not null default 0,
    inbound        bigint       not null default 0,
    last_count_at  timestamp with time zone,
    updated_at     timestamp with time zone not null
);
