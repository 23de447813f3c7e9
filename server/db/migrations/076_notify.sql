-- Notifications out of the wall (server/notify). Channels and their secrets live in configuration
-- only; these tables name a channel by its id.

-- Who gets what: a channel, a region scope (inside the channel's own), a least severity and kinds.
-- Current state with FINAL; a removal writes deleted = 1 with a higher version.
CREATE TABLE IF NOT EXISTS notify_subscription
(
    subscription_id String,
    channel_id      String,
    scope           String,
    min_severity    Enum8('info' = 1, 'warn' = 2, 'critical' = 3),
    kinds           Array(LowCardinality(String)),
    created_by      String,
    created_at      DateTime64(3, 'Asia/Shanghai'),
    deleted         UInt8 DEFAULT 0,
    version         UInt64
)
ENGINE = ReplacingMergeTree(version)
ORDER BY subscription_id;

-- The outbox: one row per event × channel (delivery_key, the idempotency key). Written with
-- version 1 when the event is found; every step of delivery writes a higher version, so an event
-- found again after a crash can never set a delivered message back to pending. Readers use FINAL.
-- payload is the masked event as JSON: no personal data in clear.
CREATE TABLE IF NOT EXISTS notify_outbox
(
    delivery_key    String,
    event_id        String,
    channel_id      LowCardinality(String),
    kind            LowCardinality(String),
    severity        Enum8('info' = 1, 'warn' = 2, 'critical' = 3),
    region_code     String,
    payload         String,
    status          Enum8('pending' = 1, 'sending' = 2, 'delivered' = 3, 'failed' = 4),
    attempts        UInt16,
    next_attempt_at DateTime64(3, 'Asia/Shanghai'),
    batch_key       String COMMENT 'the message it went out in: its own key, or a digest key',
    last_error      String COMMENT 'redacted: never a URL token or secret',
    created_at      DateTime64(3, 'Asia/Shanghai'),
    updated_at      DateTime64(3, 'Asia/Shanghai'),
    delivered_at    Nullable(DateTime64(3, 'Asia/Shanghai')),
    version         UInt64
)
ENGINE = ReplacingMergeTree(version)
ORDER BY delivery_key;

-- How far each event source has read (flags by stored_at), so a restart neither repeats nor skips.
CREATE TABLE IF NOT EXISTS notify_cursor
(
    source   String,
    position DateTime64(3, 'Asia/Shanghai'),
    version  UInt64
)
ENGINE = ReplacingMergeTree(version)
ORDER BY source;
