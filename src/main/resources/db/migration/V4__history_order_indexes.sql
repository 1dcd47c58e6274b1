-- Indexes in the order the history is read newest first (issue 11): the decider's memory reads a target's
-- newest 1,000 decisions and newest actions, "order by decided_at desc, id desc" (id orders rows of the same
-- millisecond). An index on (target, decided_at) alone does not give that order: PostgreSQL keeps rows with
-- equal keys in no particular order and H2's planner does not count the primary key in, so both sorted all
-- of a target's rows (40,320 for 7 days of 15-second ticks) to keep 1,000. With id in the index both scan
-- it backwards and stop at the limit. Each new index replaces the one it extends (a prefix serves every
-- query the old one did, and H2 would otherwise keep choosing the old one).

create index decision_target_decided_at_id on decision (target, decided_at, id);
drop index decision_target_decided_at;

-- recent() across all targets; purgeOlderThan deletes by age through the same index
create index decision_decided_at_id on decision (decided_at, id);
drop index decision_decided_at;

create index action_target_ended_at_id on action (target, ended_at, id);
drop index action_target_ended_at;
