-- What a state file (an inventory count, the catalog, the purchase orders) is the state of: the warehouse of a
-- count, '' for the catalog and the purchase orders; null for files of events. The same content is a duplicate
-- only while it is still the last file applied for its scope (a count that goes 10, 8, 10 is news the third time).
-- stated_at: the file name's <ts>. Of a scope's claiming receipts, the one with the latest stated_at stands (a late
-- file older than what stands does not, however late it came). Null before this version.
alter table file_receipts add column scope varchar(100);
alter table file_receipts add column stated_at timestamp with time zone;
create index file_receipts_scope on file_receipts (kind, scope, receipt_id);

-- receipts that hold a claim before this version: the warehouse is the name's part between 'inventory_' and the
-- next '_' (warehouse codes have no '_')
update file_receipts set scope = substring(file_name from 11 for position('_' in substring(file_name from 11)) - 1)
    where kind = 'inventory' and claim_key is not null and file_name like 'inventory!_%!_%' escape '!';
update file_receipts set scope = '' where kind in ('catalog', 'purchase-orders') and claim_key is not null;
-- Counts claimed from this version on carry the SHA-256 of warehouse and content as their claim key (two
-- warehouses' counts with the same bytes are two counts); a count claimed before keeps kind:sha256, and the claim
-- looks that key up too (FileReceipts.existing).
