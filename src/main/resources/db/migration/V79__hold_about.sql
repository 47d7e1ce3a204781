-- What a hold is about beyond its subject (a file row's subject names its file and row): the record whose decision
-- waits for it. A returns manifest row's hold is about 'return:<rma>', and POST /api/returns/{rma}/decision answers
-- 409 while one is open (a decision restocked the lines that were not held, and the held row was left to a return
-- that could not take it any more).
alter table holds add column about varchar(200);
create index holds_about on holds (about, status);

-- Returns rows already held: the RMA is the first field of the row held (its payload), when it is written unquoted
-- and fits the returns.rma column (100 characters); a row held with no readable RMA is about no return.
update holds set about = 'return:' || trim(substring(payload from 1 for position(',' in payload) - 1))
where source = 'file:returns' and status = 'open' and about is null and payload is not null
  and payload not like '"%' and position(',' in payload) between 2 and 101;
