-- What the bulletin needs from each document (hongdun_core::stats::RecordFacts
-- as JSON), with the first and last day it touches, so a bulletin reads only
-- the documents of its window. Written with the projection.
CREATE TABLE stat_facts (
    id       TEXT PRIMARY KEY,
    owner    TEXT NOT NULL,
    kind     TEXT NOT NULL,
    first_on DATE NOT NULL,
    last_on  DATE NOT NULL,
    facts    TEXT NOT NULL
);
CREATE INDEX stat_facts_last ON stat_facts (last_on);
CREATE INDEX stat_facts_owner ON stat_facts (owner, last_on);
