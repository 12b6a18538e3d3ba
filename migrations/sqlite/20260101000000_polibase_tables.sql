-- SQLite twin of the PostgreSQL schema: the Polibase tables the dashboard
-- reads, with the same columns and indexes, for the built-in demo database.
-- Timestamps are stored as text 'YYYY-MM-DD HH:MM:SS', dates as 'YYYY-MM-DD'.

CREATE TABLE governing_bodies (
    id INTEGER PRIMARY KEY,
    name VARCHAR NOT NULL,
    type VARCHAR,
    organization_code CHAR(6) UNIQUE,
    organization_type VARCHAR(20),
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE conferences (
    id INTEGER PRIMARY KEY,
    name VARCHAR NOT NULL,
    type VARCHAR,
    governing_body_id INTEGER,
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    UNIQUE (name, governing_body_id)
);
CREATE INDEX idx_conferences_governing_body ON conferences (governing_body_id);

CREATE TABLE meetings (
    id INTEGER PRIMARY KEY,
    conference_id INTEGER NOT NULL REFERENCES conferences (id),
    date DATE,
    url VARCHAR,
    name VARCHAR,
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX idx_meetings_conference ON meetings (conference_id);
CREATE INDEX idx_meetings_conference_date ON meetings (conference_id, date);
CREATE INDEX idx_meetings_date ON meetings (date);

CREATE TABLE minutes (
    id INTEGER PRIMARY KEY,
    url VARCHAR,
    meeting_id INTEGER NOT NULL REFERENCES meetings (id),
    processed_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX idx_minutes_meeting ON minutes (meeting_id);
CREATE INDEX idx_minutes_processed_at ON minutes (processed_at);
CREATE INDEX idx_minutes_unprocessed ON minutes (id) WHERE processed_at IS NULL;

CREATE TABLE political_parties (
    id INTEGER PRIMARY KEY,
    name VARCHAR NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE politicians (
    id INTEGER PRIMARY KEY,
    name VARCHAR NOT NULL,
    political_party_id INTEGER REFERENCES political_parties (id),
    prefecture VARCHAR,
    district VARCHAR,
    electoral_district TEXT,
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE speakers (
    id INTEGER PRIMARY KEY,
    name VARCHAR NOT NULL,
    type VARCHAR,
    political_party_name VARCHAR,
    position VARCHAR,
    is_politician BOOLEAN DEFAULT FALSE,
    politician_id INTEGER REFERENCES politicians (id),
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX idx_speakers_politician ON speakers (politician_id);

CREATE TABLE conversations (
    id INTEGER PRIMARY KEY,
    minutes_id INTEGER REFERENCES minutes (id),
    speaker_id INTEGER REFERENCES speakers (id),
    speaker_name VARCHAR,
    comment TEXT NOT NULL,
    sequence_number INTEGER NOT NULL,
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX idx_conversations_minutes ON conversations (minutes_id);
CREATE INDEX idx_conversations_speaker ON conversations (speaker_id);
CREATE INDEX idx_conversations_linked ON conversations (speaker_id)
    WHERE speaker_id IS NOT NULL;

CREATE TABLE llm_processing_history (
    id INTEGER PRIMARY KEY,
    processing_type VARCHAR(50) NOT NULL,
    model_name VARCHAR(100) NOT NULL,
    model_version VARCHAR(50) NOT NULL,
    prompt_template TEXT,
    input_reference_type VARCHAR(50) NOT NULL,
    input_reference_id INTEGER NOT NULL,
    status VARCHAR(20) NOT NULL,
    result TEXT,
    error_message TEXT,
    started_at TIMESTAMP,
    completed_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX idx_llm_history_status ON llm_processing_history (status);
CREATE INDEX idx_llm_history_type ON llm_processing_history (processing_type);
