-- A release replays a hold and closes it afterwards; two releases of one hold at once (two operators, two
-- instances behind a load balancer, a client's retry) both replayed it: a pick ticket sent twice. A release now
-- claims the hold first, until this time (a lease: an instance that died mid-release does not block it for ever).
alter table holds add column releasing_until timestamp with time zone;
