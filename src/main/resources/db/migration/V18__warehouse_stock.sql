-- Physical stock per SKU and warehouse, as the WMS last counted it (inventory_<WAREHOUSE>_<ts>.csv): one row
-- per SKU and warehouse holding all its location counts, packed by org.handoff.inventory.LocationCounts
-- ('location=count;location=count', locations in a canonical order, only counts that are not 0, '\' escapes
-- '\', '=' and ';' in names). A snapshot replaces a SKU's whole set of locations, so it compares one value per
-- SKU and writes only the SKUs that changed. on_hand is the sum of the packed counts; stock.on_hand is the sum
-- of on_hand over warehouses. counted_at: when the row last changed (the warehouse's watermark says when it
-- was last counted). V19 moves the rows of stock_location here and drops it and its digests.
create table warehouse_stock (
    sku         varchar(100) not null,
    warehouse   varchar(50)  not null,
    on_hand     bigint       not null,
    locations   varchar      not null,
    counted_at  timestamp with time zone not null,
    primary key (sku, warehouse)
);
