"""The schema as an append-only list of migrations, applied in order (PRAGMA user_version)."""

from __future__ import annotations

import aiosqlite

# Each entry moves the schema from version N to N+1 (PRAGMA user_version). Never edit an entry
# that has shipped: append a new one.
MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE doctors (
        id INTEGER PRIMARY KEY,
        identity TEXT NOT NULL UNIQUE,
        name TEXT,
        title TEXT NOT NULL,
        location TEXT NOT NULL DEFAULT '',
        rating_total REAL NOT NULL DEFAULT 0,
        review_count INTEGER NOT NULL DEFAULT 0,
        telegram_id INTEGER UNIQUE
    );

    CREATE TABLE questions (
        id INTEGER PRIMARY KEY,
        bank_key TEXT NOT NULL UNIQUE,
        source_id TEXT,
        title TEXT NOT NULL,
        details TEXT NOT NULL DEFAULT '',
        tags TEXT NOT NULL DEFAULT '',
        content_hash TEXT NOT NULL,
        answer_count INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
        updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
    );

    CREATE TABLE answers (
        id INTEGER PRIMARY KEY,
        question_id INTEGER NOT NULL REFERENCES questions(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        doctor_id INTEGER REFERENCES doctors(id),
        source TEXT,
        url TEXT,
        license TEXT,
        heading TEXT NOT NULL DEFAULT '',
        body TEXT NOT NULL,
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
        UNIQUE (question_id, position)
    );

    -- The search index holds each question's normalised terms (see bot.matching.terms), so the
    -- terms FTS5 matches and counts are exactly the ones the matcher scores. rowid = questions.id.
    CREATE VIRTUAL TABLE questions_fts USING fts5(
        title_terms, detail_terms, tokenize='unicode61 remove_diacritics 0'
    );
    CREATE VIRTUAL TABLE questions_vocab USING fts5vocab(questions_fts, 'row');

    -- Every question a patient sent, whatever became of it; update_id makes a redelivered
    -- Telegram update recognisable so nobody is answered twice.
    CREATE TABLE asked_questions (
        id INTEGER PRIMARY KEY,
        update_id INTEGER UNIQUE,
        patient_id INTEGER NOT NULL,
        chat_id INTEGER NOT NULL,
        text TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'received'
            CHECK (status IN ('received', 'matched', 'open', 'unclear', 'answered')),
        matched_question_id INTEGER REFERENCES questions(id) ON DELETE SET NULL,
        match_score REAL,
        replied INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
    );
    CREATE INDEX asked_questions_status ON asked_questions(status);
    """,
    """
    -- Doctors who use the bot (from the config or by invitation), beside the bank's authors.
    ALTER TABLE doctors ADD COLUMN specialties TEXT NOT NULL DEFAULT '';
    ALTER TABLE doctors ADD COLUMN status TEXT NOT NULL DEFAULT 'author'
        CHECK (status IN ('author', 'active', 'revoked', 'pending', 'rejected'));
    ALTER TABLE doctors ADD COLUMN origin TEXT NOT NULL DEFAULT 'bank'
        CHECK (origin IN ('bank', 'config', 'invite'));
    -- Who revoked a doctor: the config (by dropping them) or an admin; a restart undoes only
    -- the former when the doctor is listed again.
    ALTER TABLE doctors ADD COLUMN revoked_by TEXT CHECK (revoked_by IN ('config', 'admin'));

    -- A patient's stable anonymous label: doctors see this, never a name or an id.
    CREATE TABLE patients (
        telegram_id INTEGER PRIMARY KEY,
        label TEXT NOT NULL UNIQUE,
        follow_up_answer_id INTEGER REFERENCES answers(id) ON DELETE SET NULL,
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
    );

    ALTER TABLE asked_questions ADD COLUMN routed_at TEXT;
    ALTER TABLE asked_questions ADD COLUMN bank_question_id INTEGER
        REFERENCES questions(id) ON DELETE SET NULL;
    ALTER TABLE asked_questions ADD COLUMN follow_up_of INTEGER
        REFERENCES answers(id) ON DELETE SET NULL;

    ALTER TABLE answers ADD COLUMN asked_id INTEGER REFERENCES asked_questions(id);
    ALTER TABLE answers ADD COLUMN updated_at TEXT;
    CREATE INDEX answers_asked ON answers(asked_id);
    CREATE INDEX answers_doctor ON answers(doctor_id);

    -- Every message the bot owes someone, kept until Telegram has it: retried after 429, 5xx
    -- and timeouts, given up on 403, delivered in order per chat, resumed after a restart.
    CREATE TABLE outbox (
        id INTEGER PRIMARY KEY,
        chat_id INTEGER NOT NULL,
        body_html TEXT NOT NULL,
        markup_json TEXT,
        edit_of INTEGER REFERENCES outbox(id),
        edit_message_id INTEGER,
        status TEXT NOT NULL DEFAULT 'pending'
            CHECK (status IN ('pending', 'sent', 'undeliverable', 'failed')),
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at REAL NOT NULL DEFAULT 0,
        sent_message_id INTEGER,
        last_error TEXT,
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
        sent_at TEXT
    );
    CREATE INDEX outbox_pending ON outbox(status, id) WHERE status = 'pending';

    -- A question offered to one doctor, and the message that offered it.
    CREATE TABLE offers (
        id INTEGER PRIMARY KEY,
        asked_id INTEGER NOT NULL REFERENCES asked_questions(id),
        doctor_id INTEGER NOT NULL REFERENCES doctors(id),
        outbox_id INTEGER REFERENCES outbox(id),
        state TEXT NOT NULL DEFAULT 'offered'
            CHECK (state IN ('offered', 'skipped', 'answered', 'closed')),
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
        UNIQUE (asked_id, doctor_id)
    );

    -- A doctor's answer being written: waiting for its text, or shown as a preview.
    CREATE TABLE drafts (
        doctor_id INTEGER PRIMARY KEY REFERENCES doctors(id),
        asked_id INTEGER NOT NULL REFERENCES asked_questions(id),
        answer_id INTEGER REFERENCES answers(id),
        body TEXT,
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
    );

    -- One rating per patient per answer; the doctor's totals change with it.
    CREATE TABLE ratings (
        answer_id INTEGER NOT NULL REFERENCES answers(id) ON DELETE CASCADE,
        patient_id INTEGER NOT NULL,
        stars INTEGER NOT NULL CHECK (stars BETWEEN 1 AND 5),
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
        PRIMARY KEY (answer_id, patient_id)
    );

    -- A doctor applying with the invite code, step by step.
    CREATE TABLE registrations (
        telegram_id INTEGER PRIMARY KEY,
        step TEXT NOT NULL CHECK (step IN ('name', 'title', 'location', 'submitted')),
        name TEXT,
        title TEXT,
        location TEXT,
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
    );
    """,
    """
    -- Each bank question's sentence embedding (bot.embeddings): float32 little-endian, in the
    -- space the named encoder makes; text_hash says which text it was made from, so a changed
    -- question is embedded again.
    CREATE TABLE question_embeddings (
        question_id INTEGER PRIMARY KEY REFERENCES questions(id) ON DELETE CASCADE,
        model TEXT NOT NULL,
        text_hash TEXT NOT NULL,
        vector BLOB NOT NULL
    );
    """,
    """
    -- How many indexed questions hold each term (title or details), kept by the repository in
    -- the same transaction as every change to questions_fts. fts5vocab gives the same counts
    -- but reads each term's whole posting list: tens of milliseconds a query at a million.
    CREATE TABLE term_counts (
        term TEXT PRIMARY KEY,
        documents INTEGER NOT NULL
    ) WITHOUT ROWID;
    INSERT INTO term_counts (term, documents) SELECT term, doc FROM questions_vocab;
    """,
    """
    -- Who sees a bank question: everyone (published: matched, in inline mode), nobody yet (an
    -- admin reviews it), nobody any more (an admin hid it), or only the patient who asked it.
    -- Only published questions are in questions_fts.
    ALTER TABLE questions ADD COLUMN visibility TEXT NOT NULL DEFAULT 'published'
        CHECK (visibility IN ('published', 'review', 'hidden', 'private'));
    -- Patients' questions used to join the bank as they wrote them: an admin reviews each one
    -- (bot.store.bank.Bank.reconcile_index takes them out of the index at start).
    UPDATE questions SET visibility = 'review' WHERE bank_key LIKE 'asked:%';
    DELETE FROM question_embeddings
        WHERE question_id IN (SELECT id FROM questions WHERE bank_key LIKE 'asked:%');

    -- The patient tapped Keep private: answered to them alone, never in the bank.
    ALTER TABLE asked_questions ADD COLUMN private INTEGER NOT NULL DEFAULT 0;
    -- A patient's questions are found for the first-question notice, export and erasure.
    CREATE INDEX asked_questions_patient ON asked_questions(patient_id);

    -- The public question the doctor will publish under (a de-identified suggestion until they
    -- edit it), whether they publish at all, and whether the bot waits for its new text.
    ALTER TABLE drafts ADD COLUMN public_question TEXT;
    ALTER TABLE drafts ADD COLUMN publish INTEGER NOT NULL DEFAULT 1;
    ALTER TABLE drafts ADD COLUMN editing_public INTEGER NOT NULL DEFAULT 0;

    -- Delete the message `edit_of` names, or where Telegram no longer allows it (48 hours),
    -- replace its text with body_html.
    ALTER TABLE outbox ADD COLUMN delete_first INTEGER NOT NULL DEFAULT 0;
    -- The patient's question a message quotes (an offer, a preview): erasing the question
    -- deletes every such copy in doctors' chats.
    ALTER TABLE outbox ADD COLUMN about_asked INTEGER;
    -- The Telegram ids of a split message's parts before the last (sent_message_id), space
    -- separated: erasing a copy deletes every part. A delivered message's text is forgotten;
    -- what it became in Telegram is what stays.
    ALTER TABLE outbox ADD COLUMN earlier_part_ids TEXT;
    CREATE INDEX outbox_about_asked ON outbox(about_asked) WHERE about_asked IS NOT NULL;

    -- A patient reported an answer: the bank question it belongs to, until an admin decides.
    CREATE TABLE reports (
        id INTEGER PRIMARY KEY,
        question_id INTEGER NOT NULL REFERENCES questions(id) ON DELETE CASCADE,
        state TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'hidden', 'kept')),
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
    );

    -- An admin rewriting a bank question's public text: the bot waits for the new text.
    CREATE TABLE admin_edits (
        admin_id INTEGER PRIMARY KEY,
        question_id INTEGER NOT NULL REFERENCES questions(id) ON DELETE CASCADE,
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
    );

    -- Zero-filled rows that take the free pages after an erasure, and leave them zeroed
    -- (bot.store.database.Database.purge); empty the rest of the time.
    CREATE TABLE scrub (filler BLOB);

    -- Who published, edited, hid, reviewed or erased what, and when: references, never content.
    CREATE TABLE audit (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        target TEXT NOT NULL
    );
    """,
    """
    -- The question matched an emergency pattern: doctors see it flagged, and first in /queue.
    ALTER TABLE asked_questions ADD COLUMN emergency INTEGER NOT NULL DEFAULT 0;

    -- When a question still unanswered was offered again to its doctors, and when the admins
    -- were told about it: each happens once (the due times follow from routed_at).
    ALTER TABLE asked_questions ADD COLUMN reminded_at TEXT;
    ALTER TABLE asked_questions ADD COLUMN escalated_at TEXT;
    CREATE INDEX asked_questions_chased ON asked_questions(routed_at)
        WHERE routed_at IS NOT NULL AND (reminded_at IS NULL OR escalated_at IS NULL);

    -- Patients an admin blocked (by a question's reference): their messages are neither
    -- routed nor kept; `told`: they have had the one line that says so.
    CREATE TABLE blocked_patients (
        telegram_id INTEGER PRIMARY KEY,
        told INTEGER NOT NULL DEFAULT 0,
        blocked_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
    );
    """,
    """
    -- A doctor asked the patient for details of a question: the doctor's question (NULL while
    -- they write it) and the patient's reply, kept with the question and erased with it.
    CREATE TABLE detail_requests (
        id INTEGER PRIMARY KEY,
        asked_id INTEGER NOT NULL REFERENCES asked_questions(id) ON DELETE CASCADE,
        doctor_id INTEGER NOT NULL REFERENCES doctors(id),
        state TEXT NOT NULL DEFAULT 'writing'
            CHECK (state IN ('writing', 'asked', 'replied', 'dropped')),
        question TEXT,
        reply TEXT,
        -- The update that carried the reply: a redelivered update is not taken twice.
        reply_update_id INTEGER UNIQUE,
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
        asked_at TEXT,
        replied_at TEXT
    );
    CREATE INDEX detail_requests_asked ON detail_requests(asked_id);
    CREATE INDEX detail_requests_open ON detail_requests(state) WHERE state IN ('writing', 'asked');

    -- Photos, documents and voice messages, by Telegram's file id: the bytes stay with
    -- Telegram. A patient's belong to a question (or wait for one: asked_id NULL, patient_id
    -- set), or to their reply to a doctor's request for details; a doctor's go with their
    -- answer (answer_id NULL while it is a draft). Never in the bank.
    CREATE TABLE attachments (
        id INTEGER PRIMARY KEY,
        asked_id INTEGER REFERENCES asked_questions(id) ON DELETE CASCADE,
        patient_id INTEGER,
        doctor_id INTEGER REFERENCES doctors(id),
        answer_id INTEGER REFERENCES answers(id) ON DELETE CASCADE,
        detail_id INTEGER REFERENCES detail_requests(id) ON DELETE CASCADE,
        kind TEXT NOT NULL CHECK (kind IN ('photo', 'document', 'voice')),
        file_id TEXT NOT NULL,
        file_name TEXT,
        caption TEXT NOT NULL DEFAULT '',
        update_id INTEGER UNIQUE,
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
    );
    CREATE INDEX attachments_asked ON attachments(asked_id);
    CREATE INDEX attachments_waiting ON attachments(patient_id) WHERE asked_id IS NULL;

    -- An outbox message that is a file (sent by file id), and whether it may be forwarded:
    -- a patient's file reaches doctors protected. The id is forgotten once delivered.
    ALTER TABLE outbox ADD COLUMN file_kind TEXT;
    ALTER TABLE outbox ADD COLUMN file_id TEXT;
    ALTER TABLE outbox ADD COLUMN protect INTEGER NOT NULL DEFAULT 0;
    """,
    # 8: each person's language (from their Telegram app, or chosen with /language) and a
    # patient's country for its emergency numbers, asked once.
    """
    CREATE TABLE preferences (
        telegram_id INTEGER PRIMARY KEY,
        language TEXT,
        language_chosen INTEGER NOT NULL DEFAULT 0,
        country TEXT,
        country_asked INTEGER NOT NULL DEFAULT 0
    );
    """,
    # 9: the language each bank question is written in; the bank's vectors from the
    # multilingual encoder, beside the English encoder's (questions in other languages are
    # matched there); the languages a doctor reads (comma-separated codes; empty: the bot's
    # default language), so questions go first to doctors who can read them.
    """
    ALTER TABLE questions ADD COLUMN language TEXT NOT NULL DEFAULT 'en';
    ALTER TABLE doctors ADD COLUMN languages TEXT NOT NULL DEFAULT '';
    CREATE TABLE multilingual_embeddings (
        question_id INTEGER PRIMARY KEY REFERENCES questions(id) ON DELETE CASCADE,
        model TEXT NOT NULL,
        text_hash TEXT NOT NULL,
        vector BLOB NOT NULL
    );
    """,
)


async def schema_version(connection: aiosqlite.Connection) -> int:
    """The number of migrations applied to this database."""
    async with connection.execute("PRAGMA user_version") as cursor:
        row = await cursor.fetchone()
    return int(row[0]) if row else 0


async def migrate(connection: aiosqlite.Connection) -> None:
    """Apply the migrations this database has not had yet, each in its own transaction."""
    current = await schema_version(connection)
    if current > len(MIGRATIONS):
        raise RuntimeError(
            f"database schema version {current} is newer than this AskDoc knows "
            f"({len(MIGRATIONS)}); upgrade AskDoc"
        )
    for version, script in enumerate(MIGRATIONS[current:], start=current + 1):
        # executescript commits first; the BEGIN makes the migration and its version atomic.
        await connection.executescript(
            f"BEGIN;\n{script}\nPRAGMA user_version = {version};\nCOMMIT;"
        )
