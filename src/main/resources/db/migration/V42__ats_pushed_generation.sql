-- One counter that every transaction recording confirmed ATS values (ats_pushed) bumps first: recorders take
-- turns on its row lock, and a hub keeps ats_pushed in memory only while the counter stands where its own last
-- recording left it (several hubs may share one database, DESIGN §9; another hub's recording moves it on and
-- the first hub reads ats_pushed again).
create table ats_pushed_generation (
    id          integer primary key,
    generation  bigint  not null
);
insert into ats_pushed_generation (id, generation) values (1, 0);
