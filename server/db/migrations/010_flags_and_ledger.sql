-- Supervision rule output and what people do with it (server/rules).
-- Flags: one row per (rule_id, case_key). The engine inserts only keys not yet present, and the
-- ReplacingMergeTree keeps a stray re-insert from counting twice once merged; readers that count
-- use FINAL or group by flag_id. flag_id = hex(cityHash64(rule_id, case_key)), so it is stable.
-- case_key follows server/rules/CASES.md and may hold an id_number: it never leaves the server.
CREATE TABLE IF NOT EXISTS flag
(
    flag_id      String,
    rule_id      LowCardinality(String),
    case_key     String,
    severity     Enum8('info' = 1, 'warn' = 2, 'critical' = 3),
    class        LowCardinality(String),
    county_code  LowCardinality(String),
    town_code    LowCardinality(String),
    village_code String,
    amount       Nullable(Decimal(16, 2)),
    subject      String COMMENT 'masked on the server before it is stored',
    detail_ids   Array(String),
    detected_at  DateTime64(3, 'Asia/Shanghai'),
    stored_at    DateTime64(3, 'Asia/Shanghai') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree(stored_at)
ORDER BY (rule_id, case_key);

-- 问题台账 (清单制 + 责任制 + 销号制): the current state of each item. Every change writes a new row
-- with a higher version; readers use FINAL. The history is in ledger_event.
CREATE TABLE IF NOT EXISTS ledger_item
(
    item_id      String,
    flag_id      String,
    rule_id      LowCardinality(String),
    county_code  LowCardinality(String),
    town_code    LowCardinality(String),
    village_code String,
    title        String,
    owner_dept   String,
    owner_person String,
    deadline     Date,
    status       Enum8('待核实' = 1, '整改中' = 2, '已销号' = 3, '核实无问题' = 4),
    created_by   String,
    created_at   DateTime64(3, 'Asia/Shanghai'),
    updated_at   DateTime64(3, 'Asia/Shanghai'),
    closed_at    Nullable(DateTime64(3, 'Asia/Shanghai')),
    version      UInt32
)
ENGINE = ReplacingMergeTree(version)
ORDER BY item_id;

-- Append-only history of every ledger item: who, when, from → to, note (evidence or reason).
CREATE TABLE IF NOT EXISTS ledger_event
(
    item_id     String,
    at          DateTime64(3, 'Asia/Shanghai'),
    who         String,
    who_name    String,
    action      Enum8('创建' = 1, '状态变更' = 2, '补充证据' = 3),
    from_status String,
    to_status   String,
    note        String
)
ENGINE = MergeTree
ORDER BY (item_id, at);

-- 监督关注留痕: every mark, unmark and view of a record, flag or region, append-only.
CREATE TABLE IF NOT EXISTS watch_mark
(
    at          DateTime64(3, 'Asia/Shanghai'),
    who         String,
    who_name    String,
    role        LowCardinality(String),
    target_kind Enum8('record' = 1, 'flag' = 2, 'region' = 3),
    target_id   String,
    region_code String,
    action      Enum8('mark' = 1, 'unmark' = 2, 'view' = 3),
    note        String
)
ENGINE = MergeTree
ORDER BY (target_kind, target_id, at);

-- 政策找人 follow-ups made from R25 flags: 疑似 → 已核实 → 已纳入 (or 不符合). Current state here
-- (FINAL), history in followup_event.
CREATE TABLE IF NOT EXISTS followup
(
    followup_id  String COMMENT 'the flag_id of the R25 flag it came from',
    kind         LowCardinality(String) COMMENT '教育资助 / 高龄津贴 / 护理补贴',
    county_code  LowCardinality(String),
    town_code    LowCardinality(String),
    village_code String,
    subject      String COMMENT 'masked',
    status       Enum8('疑似' = 1, '已核实' = 2, '已纳入' = 3, '不符合' = 4),
    created_at   DateTime64(3, 'Asia/Shanghai'),
    updated_at   DateTime64(3, 'Asia/Shanghai'),
    version      UInt32
)
ENGINE = ReplacingMergeTree(version)
ORDER BY followup_id;

CREATE TABLE IF NOT EXISTS followup_event
(
    followup_id String,
    at          DateTime64(3, 'Asia/Shanghai'),
    who         String,
    who_name    String,
    from_status String,
    to_status   String,
    note        String
)
ENGINE = MergeTree
ORDER BY (followup_id, at);
