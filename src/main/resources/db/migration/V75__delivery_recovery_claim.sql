-- The recovery sweep runs on every instance; two sweeps meeting both replayed the same stored delivery (a
-- DUPLICATE history entry from one delivery, the delivery log's result overwritten). A sweep now claims a delivery
-- before replaying it, until this time (a lease: a sweep that died frees it for the next).
alter table webhook_deliveries add column recovering_until timestamp with time zone;
