-- Runtime control of a target set through the API (pause, dry-run override). Kept in the history
-- database so a restart neither resumes a paused target nor drops a dry-run override. Same portable
-- SQL rules as V1: standard types, lower-case names, instants as bigint epoch milliseconds.

create table target_control (
    target        varchar(255)  not null primary key,
    paused        boolean       not null,
    paused_reason varchar(2000),
    paused_at     bigint,
    -- null: no override, the configured dry-run applies
    dry_run       boolean,
    updated_at    bigint        not null
);
