-- Sign-in, sessions, wall display tokens and the audit trail (server/access).
-- Mutable state (users, sessions, tokens) is kept as versioned rows: a change inserts a new version
-- and readers take the newest with FINAL, so no UPDATE or DELETE is ever issued.

-- Users of the wall and review pages. Roles: leader, staff, supervisor, admin ('wall' is only ever
-- a display token). scope is the region subtree the user may see.
CREATE TABLE IF NOT EXISTS app_user
(
    username      String,
    role          LowCardinality(String),
    scope         String COMMENT 'region code: 511000 or a county/town/village subtree',
    password_hash String COMMENT 'scrypt$N$r$p$salt$hash, per-user random salt',
    disabled      UInt8,
    created_at    DateTime64(3, 'Asia/Shanghai'),
    changed_at    DateTime64(3, 'Asia/Shanghai') DEFAULT now64(3),
    version       UInt64
)
ENGINE = ReplacingMergeTree(version)
ORDER BY username;

-- Sign-in sessions, by SHA-256 of the random cookie token (the token itself is never stored).
-- Expired sessions disappear after a grace month; the audit log keeps the history.
CREATE TABLE IF NOT EXISTS app_session
(
    token_hash  FixedString(64),
    username    String,
    created_at  DateTime64(3, 'Asia/Shanghai'),
    expires_at  DateTime('Asia/Shanghai'),
    revoked     UInt8,
    version     UInt64
)
ENGINE = ReplacingMergeTree(version)
ORDER BY token_hash
TTL expires_at + INTERVAL 30 DAY;

-- Tokens that let a wall screen in without a person signing in (role 'wall', read-only, scoped).
CREATE TABLE IF NOT EXISTS display_token
(
    id          String,
    label       String,
    token_hash  FixedString(64),
    scope       String,
    created_at  DateTime64(3, 'Asia/Shanghai'),
    created_by  String,
    revoked     UInt8,
    version     UInt64
)
ENGINE = ReplacingMergeTree(version)
ORDER BY id;

-- Append-only trail of who did what, when, with what outcome (等保 2.0 level 3). detail never holds
-- beneficiaries' personal data. Kept 3 years (网络安全法 art. 21 asks for at least 6 months); no
-- code path deletes from it.
CREATE TABLE IF NOT EXISTS audit_log
(
    at       DateTime64(3, 'Asia/Shanghai') DEFAULT now64(3),
    actor    String,
    role     LowCardinality(String),
    action   LowCardinality(String),
    target   String,
    outcome  LowCardinality(String),
    ip       String,
    detail   String
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(at)
ORDER BY at
TTL toDateTime(at) + INTERVAL 3 YEAR;
