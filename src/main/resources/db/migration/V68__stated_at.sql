-- The time (the file name's <ts>) of the file that last set a catalog row or a purchase-order line. A row of an
-- older file is held STALE_UPDATE instead of putting back what a newer file replaced. Null: set before this
-- version, when the time was not kept; any file may set it.
alter table catalog add column stated_at timestamp with time zone;
alter table purchase_order_lines add column stated_at timestamp with time zone;
