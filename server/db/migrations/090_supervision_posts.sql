-- 监督岗位: the posts that hold supervision duties (the article counts 160 in the system). A post
-- belongs to a department at the city, a county or a town (乡镇财政所); watch marks and ledger
-- items can name the post that holds them. Seeded by the generator (server/simulate/posts.ts).
CREATE TABLE IF NOT EXISTS supervision_post
(
    post_id     String,
    level       Enum8('city' = 1, 'county' = 2, 'town' = 3),
    region_code LowCardinality(String),
    dept        LowCardinality(String),
    title       String
)
ENGINE = ReplacingMergeTree
ORDER BY post_id;
