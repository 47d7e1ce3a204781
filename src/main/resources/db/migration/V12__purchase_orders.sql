-- Inbound stock the ERP expects (purchase-orders_<ts>.csv); stock.inbound is the sum per SKU.
create table purchase_order_lines (
    po_number      varchar(100) not null,
    sku            varchar(100) not null,
    supplier_code  varchar(100) not null,
    supplier_code_received varchar(100) not null,
    quantity       bigint       not null,
    expected_at    timestamp with time zone not null,
    receipt_id     bigint,
    updated_at     timestamp with time zone not null,
    primary key (po_number, sku)
);
