-- Beneficiaries and households as registered (the base data the rules check payments against).
CREATE TABLE IF NOT EXISTS beneficiary
(
    id_number     String,
    person_name   String,
    gender        Enum8('男' = 1, '女' = 2),
    birth_date    Date32,
    household_id  String,
    county_code   LowCardinality(String),
    town_code     LowCardinality(String),
    village_code  String,
    phone         String,
    card_number   String,
    bank          LowCardinality(String),
    ingested_at   DateTime64(3, 'Asia/Shanghai') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree(ingested_at)
ORDER BY id_number;

CREATE TABLE IF NOT EXISTS household
(
    household_id String,
    head_id      String,
    county_code  LowCardinality(String),
    town_code    LowCardinality(String),
    village_code String,
    members      UInt8,
    is_dibao     UInt8 COMMENT '低保户',
    is_tekun     UInt8 COMMENT '特困户',
    land_mu      Decimal(10, 2),
    ingested_at  DateTime64(3, 'Asia/Shanghai') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree(ingested_at)
ORDER BY household_id;

-- Reference sets shared by other departments (deaths, officials, disability, students, assets).
CREATE TABLE IF NOT EXISTS ref_death
(
    id_number  String,
    death_date Date,
    source     LowCardinality(String)
)
ENGINE = ReplacingMergeTree
ORDER BY id_number;

CREATE TABLE IF NOT EXISTS ref_official
(
    id_number      String,
    kind           Enum8('公职人员' = 1, '财政供养人员' = 2, '村干部' = 3, '村干部亲属' = 4),
    related_cadre  String COMMENT 'for relatives: the cadre''s id_number',
    village_code   String,
    since          Date
)
ENGINE = ReplacingMergeTree
ORDER BY (id_number, kind);

CREATE TABLE IF NOT EXISTS ref_disability
(
    id_number String,
    grade     UInt8 COMMENT '1 (most severe) to 4',
    kind      LowCardinality(String)
)
ENGINE = ReplacingMergeTree
ORDER BY id_number;

CREATE TABLE IF NOT EXISTS ref_student
(
    id_number   String,
    school_year UInt16 COMMENT 'year the school year starts',
    stage       Enum8('学前' = 1, '义务教育' = 2, '普通高中' = 3, '中职' = 4, '高校' = 5),
    grade       UInt8
)
ENGINE = ReplacingMergeTree
ORDER BY (id_number, school_year);

CREATE TABLE IF NOT EXISTS ref_asset
(
    id_number String,
    kind      Enum8('私家车' = 1, '房产' = 2, '经营主体' = 3),
    count     UInt16
)
ENGINE = ReplacingMergeTree
ORDER BY (id_number, kind);

-- Card activity reported by the paying banks (R21 dormant cards, R22 proxy holding).
CREATE TABLE IF NOT EXISTS card_activity
(
    card_number      String,
    last_withdrawal  Nullable(Date),
    proxy_approved   UInt8 COMMENT 'a 代管代持 agreement is on file',
    reported_on      Date
)
ENGINE = ReplacingMergeTree(reported_on)
ORDER BY card_number;

-- The generator's injected anomalies: the ground truth that rules are measured against.
CREATE TABLE IF NOT EXISTS ground_truth
(
    rule_id   LowCardinality(String),
    case_key  String,
    detail_id String,
    note      String
)
ENGINE = ReplacingMergeTree
ORDER BY (rule_id, case_key, detail_id);
