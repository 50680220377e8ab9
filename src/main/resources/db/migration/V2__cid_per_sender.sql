-- Portable between H2 and PostgreSQL: plain types, no vendor syntax.

-- A resend is recognised by (room, sender, cid), not (room, cid): two clients that both number
-- their messages c-1, c-2, ... must never be answered with each other's message. sender is the
-- token subject, the client id a connection presented, or a key unique to one connection.
-- Primary keys cannot be changed portably, so the table is rebuilt; the ids remembered so far
-- keep working for the connection that sent them (their sender is the message's from_id).
CREATE TABLE chat_message_sender_cid (
    room   VARCHAR(64)  NOT NULL,
    sender VARCHAR(300) NOT NULL,
    cid    VARCHAR(64)  NOT NULL,
    seq    BIGINT       NOT NULL,
    ts     BIGINT       NOT NULL,
    CONSTRAINT chat_message_sender_cid_pk PRIMARY KEY (room, sender, cid),
    CONSTRAINT chat_message_sender_cid_message FOREIGN KEY (room, seq) REFERENCES chat_message (room, seq) ON DELETE CASCADE
);

INSERT INTO chat_message_sender_cid (room, sender, cid, seq, ts)
SELECT c.room, m.from_id, c.cid, c.seq, c.ts
FROM chat_message_cid c JOIN chat_message m ON m.room = c.room AND m.seq = c.seq;

DROP TABLE chat_message_cid;

CREATE INDEX chat_message_sender_cid_seq ON chat_message_sender_cid (room, seq);
CREATE INDEX chat_message_sender_cid_ts ON chat_message_sender_cid (ts);
