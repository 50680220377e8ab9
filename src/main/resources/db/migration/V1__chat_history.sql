-- Portable between H2 and PostgreSQL: plain types, no vendor syntax.

-- One row per room that ever had a message. last_seq is the sequence counter: appends
-- increment it under its row lock in the same transaction as the insert, so sequence
-- numbers are gap-free for committed messages, safe with several server instances, and
-- never reused after old messages are pruned.
CREATE TABLE chat_room (
    room     VARCHAR(64) NOT NULL PRIMARY KEY,
    last_seq BIGINT      NOT NULL
);

CREATE TABLE chat_message (
    room      VARCHAR(64)  NOT NULL,
    seq       BIGINT       NOT NULL,
    from_id   VARCHAR(128) NOT NULL,
    from_name VARCHAR(64)  NOT NULL,
    text      TEXT         NOT NULL,
    ts        BIGINT       NOT NULL,
    cid       VARCHAR(64),
    data      TEXT,
    PRIMARY KEY (room, seq)
);

-- Idempotency ids of recent messages: a resend with a remembered (room, cid) is answered
-- with the original. Pruned on their own (by age) and with their message.
CREATE TABLE chat_message_cid (
    room VARCHAR(64) NOT NULL,
    cid  VARCHAR(64) NOT NULL,
    seq  BIGINT      NOT NULL,
    ts   BIGINT      NOT NULL,
    PRIMARY KEY (room, cid),
    FOREIGN KEY (room, seq) REFERENCES chat_message (room, seq) ON DELETE CASCADE
);

CREATE INDEX chat_message_cid_message ON chat_message_cid (room, seq);
CREATE INDEX chat_message_cid_ts ON chat_message_cid (ts);
