-- uncounted_picks.order_id also keeps a restocked return's RMA (a restock is remembered as a pick with the sign
-- turned), and an RMA may be up to 100 characters (returns.rma).
alter table uncounted_picks alter column order_id set data type varchar(100);
