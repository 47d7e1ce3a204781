-- As V55 for order history: every paid order adds a WMS outbox row and every webhook delivery a delivery row,
-- and H2 persists an identity sequence each time its cache runs out, in a commit of its own that writes out
-- every page changed so far (3% of the CSV inbox's file thread with a cache of 1,000). Larger blocks; a gap
-- after a crash is harmless, both ids are surrogate keys.
alter table wms_outbox alter column message_id set cache 100000;
alter table webhook_deliveries alter column delivery_id set cache 100000;
