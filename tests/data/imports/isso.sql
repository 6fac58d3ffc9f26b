-- Isso's schema (threads, comments, preferences) and a few rows, written for
-- the tests; the test builds the SQLite file from it.
CREATE TABLE threads (id INTEGER PRIMARY KEY, uri VARCHAR(256) UNIQUE, title VARCHAR(256));
CREATE TABLE comments (
    tid REFERENCES threads(id), id INTEGER PRIMARY KEY, parent INTEGER,
    created FLOAT NOT NULL, modified FLOAT, mode INTEGER, remote_addr VARCHAR,
    text VARCHAR, author VARCHAR, email VARCHAR, website VARCHAR,
    likes INTEGER DEFAULT 0, dislikes INTEGER DEFAULT 0, voters BLOB NOT NULL,
    notification INTEGER DEFAULT 0);
CREATE TABLE preferences (key VARCHAR PRIMARY KEY, value VARCHAR);
INSERT INTO threads VALUES (1, '/blog/first-post/', 'First post');
INSERT INTO threads VALUES (2, '/blog/второй-пост/', 'Второй пост');
INSERT INTO comments VALUES (1, 1, NULL, 1600000000.5, NULL, 1, '192.0.2.0', 'Nice *post*.', 'Ann', 'ann@example.org', 'https://ann.example', 3, 0, x'00', 0);
INSERT INTO comments VALUES (1, 2, 1, 1600000100.0, NULL, 1, '192.0.2.0', 'Thanks!', 'Ben', NULL, NULL, 0, 0, x'00', 0);
INSERT INTO comments VALUES (1, 3, NULL, 1600000200.0, NULL, 2, '192.0.2.0', 'Waiting for a moderator.', NULL, NULL, NULL, 0, 0, x'00', 0);
INSERT INTO comments VALUES (1, 4, NULL, 1600000300.0, NULL, 4, '192.0.2.0', '', 'Gone', NULL, NULL, 0, 0, x'00', 0);
INSERT INTO comments VALUES (1, 5, 4, 1600000400.0, NULL, 1, '192.0.2.0', 'Answer to a deleted one.', 'Cy', NULL, NULL, 0, 0, x'00', 0);
INSERT INTO comments VALUES (2, 6, NULL, 1600000500.0, NULL, 1, '192.0.2.0', 'Привет.', 'Иван', NULL, NULL, 0, 0, x'00', 0);
