-- A row for every full pass of the rule engine over all history (server/rules/passes.ts): when it
-- ended, for which evaluation day, how many rules ran and failed, how many flags it added. Before
-- the first pass over a data directory the flag table is empty because nothing has been checked
-- yet, not because nothing is wrong: the alerts panels read this table to tell the two apart
-- (server/metrics/wall/rulesChecked.ts) and say 规则首轮核查中 instead of showing 0.
CREATE TABLE IF NOT EXISTS rule_pass
(
    finished_at    DateTime64(3, 'Asia/Shanghai'),
    evaluation_day Date,
    rules_run      UInt16,
    rules_skipped  UInt16,
    rules_failed   Array(LowCardinality(String)),
    new_flags      UInt32,
    ms             UInt32
)
ENGINE = MergeTree
ORDER BY finished_at
TTL toDateTime(finished_at) + INTERVAL 1 YEAR;
