-- Indexes in the order the history is read newest first (issue 11): the decider's memory reads a target's
-- newest 1,000 decisions and newest actions, "order by decided_at desc, id desc" (id orders rows of the same
-- millisecond). The indexes of V1 did not give that order with a limit: H2 sorted all of a target's rows
-- (40,320 for 7 days of 15-second ticks) to keep 1,000, and PostgreSQL walked (decided_at) backwards through
-- every target's rows, keeping one target's, 50,000 rows read for 50 targets. With id in the indexes both read
-- (target, decided_at, id) backwards and stop at the limit. Each new index replaces the one it extends (a
-- prefix serves every query the old one did, and H2 would otherwise keep choosing the old one); the new
-- (decided_at, id) also keeps PostgreSQL's planner from preferring the all-targets walk.
--
-- Building an index reads the whole table, once, at the first start over an older history (docs/history.md).
-- "if not exists"/"if exists": H2 commits each statement, so a start stopped half-way leaves some of them
-- done and no record of the migration; the next start runs it again from the top.

create index if not exists decision_target_decided_at_id on decision (target, decided_at, id);
drop index if exists decision_target_decided_at;

-- recent() across all targets; purgeOlderThan deletes by age through the same index
create index if not exists decision_decided_at_id on decision (decided_at, id);
drop index if exists decision_decided_at;

create index if not exists action_target_ended_at_id on action (target, ended_at, id);
drop index if exists action_target_ended_at;
