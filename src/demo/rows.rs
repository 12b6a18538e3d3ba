//! The demo rows as plain Rust values, one struct per Polibase table.
//!
//! Rows are generated once and then handed to whichever writer the database
//! needs, so PostgreSQL and SQLite always receive exactly the same values. A
//! row describes itself as a list of [`Cell`]s in the order of its table's
//! `COLUMNS`; the writers only ever see cells.

use chrono::{NaiveDate, NaiveDateTime};

/// One value of a row, in the few types the Polibase tables use.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Cell<'a> {
    Null,
    Int(i64),
    Bool(bool),
    Text(&'a str),
    Date(NaiveDate),
    Time(NaiveDateTime),
}

impl<'a> Cell<'a> {
    fn text(value: Option<&'a str>) -> Self {
        value.map_or(Self::Null, Self::Text)
    }

    fn int(value: Option<i32>) -> Self {
        value.map_or(Self::Null, |v| Self::Int(v.into()))
    }

    fn time(value: Option<NaiveDateTime>) -> Self {
        value.map_or(Self::Null, Self::Time)
    }
}

/// A row of one table: where it goes and what it holds.
pub trait Row {
    const TABLE: &'static str;
    const COLUMNS: &'static [&'static str];

    /// The row's values, in the order of `COLUMNS`.
    fn cells(&self) -> Vec<Cell<'_>>;
}

impl<T: Row> Row for &T {
    const TABLE: &'static str = T::TABLE;
    const COLUMNS: &'static [&'static str] = T::COLUMNS;

    fn cells(&self) -> Vec<Cell<'_>> {
        (**self).cells()
    }
}

#[derive(Clone, Debug)]
pub struct GoverningBody {
    pub id: i32,
    pub name: &'static str,
    pub kind: Option<&'static str>,
    pub organization_code: Option<&'static str>,
    pub organization_type: Option<&'static str>,
    /// Not a column: the prefecture from the national code list, for naming.
    pub prefecture: Option<&'static str>,
    pub created_at: NaiveDateTime,
}

impl Row for GoverningBody {
    const TABLE: &'static str = "governing_bodies";
    const COLUMNS: &'static [&'static str] = &[
        "id",
        "name",
        "type",
        "organization_code",
        "organization_type",
        "created_at",
        "updated_at",
    ];

    fn cells(&self) -> Vec<Cell<'_>> {
        vec![
            Cell::Int(self.id.into()),
            Cell::Text(self.name),
            Cell::text(self.kind),
            Cell::text(self.organization_code),
            Cell::text(self.organization_type),
            Cell::Time(self.created_at),
            Cell::Time(self.created_at),
        ]
    }
}

#[derive(Clone, Debug)]
pub struct PoliticalParty {
    pub id: i32,
    pub name: &'static str,
    pub created_at: NaiveDateTime,
}

impl Row for PoliticalParty {
    const TABLE: &'static str = "political_parties";
    const COLUMNS: &'static [&'static str] = &["id", "name", "created_at", "updated_at"];

    fn cells(&self) -> Vec<Cell<'_>> {
        vec![
            Cell::Int(self.id.into()),
            Cell::Text(self.name),
            Cell::Time(self.created_at),
            Cell::Time(self.created_at),
        ]
    }
}

#[derive(Clone, Debug)]
pub struct Conference {
    pub id: i32,
    pub name: String,
    pub kind: Option<&'static str>,
    pub governing_body_id: Option<i32>,
    pub created_at: NaiveDateTime,
}

impl Row for Conference {
    const TABLE: &'static str = "conferences";
    const COLUMNS: &'static [&'static str] = &[
        "id",
        "name",
        "type",
        "governing_body_id",
        "created_at",
        "updated_at",
    ];

    fn cells(&self) -> Vec<Cell<'_>> {
        vec![
            Cell::Int(self.id.into()),
            Cell::Text(&self.name),
            Cell::text(self.kind),
            Cell::int(self.governing_body_id),
            Cell::Time(self.created_at),
            Cell::Time(self.created_at),
        ]
    }
}

#[derive(Clone, Debug)]
pub struct Meeting {
    pub id: i32,
    pub conference_id: i32,
    pub date: Option<NaiveDate>,
    pub url: String,
    pub name: String,
    pub created_at: NaiveDateTime,
}

impl Row for Meeting {
    const TABLE: &'static str = "meetings";
    const COLUMNS: &'static [&'static str] = &[
        "id",
        "conference_id",
        "date",
        "url",
        "name",
        "created_at",
        "updated_at",
    ];

    fn cells(&self) -> Vec<Cell<'_>> {
        vec![
            Cell::Int(self.id.into()),
            Cell::Int(self.conference_id.into()),
            self.date.map_or(Cell::Null, Cell::Date),
            Cell::Text(&self.url),
            Cell::Text(&self.name),
            Cell::Time(self.created_at),
            Cell::Time(self.created_at),
        ]
    }
}

#[derive(Clone, Debug)]
pub struct Minutes {
    pub id: i32,
    pub url: String,
    pub meeting_id: i32,
    pub processed_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
}

impl Row for Minutes {
    const TABLE: &'static str = "minutes";
    const COLUMNS: &'static [&'static str] = &[
        "id",
        "url",
        "meeting_id",
        "processed_at",
        "created_at",
        "updated_at",
    ];

    fn cells(&self) -> Vec<Cell<'_>> {
        vec![
            Cell::Int(self.id.into()),
            Cell::Text(&self.url),
            Cell::Int(self.meeting_id.into()),
            Cell::time(self.processed_at),
            Cell::Time(self.created_at),
            Cell::Time(self.processed_at.unwrap_or(self.created_at)),
        ]
    }
}

#[derive(Clone, Debug)]
pub struct Politician {
    pub id: i32,
    pub name: String,
    pub political_party_id: Option<i32>,
    pub prefecture: Option<&'static str>,
    pub district: Option<String>,
    pub electoral_district: Option<String>,
    pub created_at: NaiveDateTime,
}

impl Row for Politician {
    const TABLE: &'static str = "politicians";
    const COLUMNS: &'static [&'static str] = &[
        "id",
        "name",
        "political_party_id",
        "prefecture",
        "district",
        "electoral_district",
        "created_at",
        "updated_at",
    ];

    fn cells(&self) -> Vec<Cell<'_>> {
        vec![
            Cell::Int(self.id.into()),
            Cell::Text(&self.name),
            Cell::int(self.political_party_id),
            Cell::text(self.prefecture),
            Cell::text(self.district.as_deref()),
            Cell::text(self.electoral_district.as_deref()),
            Cell::Time(self.created_at),
            Cell::Time(self.created_at),
        ]
    }
}

#[derive(Clone, Debug)]
pub struct Speaker {
    pub id: i32,
    pub name: String,
    pub kind: &'static str,
    pub political_party_name: Option<&'static str>,
    pub position: Option<&'static str>,
    pub is_politician: bool,
    pub politician_id: Option<i32>,
    pub created_at: NaiveDateTime,
}

impl Row for Speaker {
    const TABLE: &'static str = "speakers";
    const COLUMNS: &'static [&'static str] = &[
        "id",
        "name",
        "type",
        "political_party_name",
        "position",
        "is_politician",
        "politician_id",
        "created_at",
        "updated_at",
    ];

    fn cells(&self) -> Vec<Cell<'_>> {
        vec![
            Cell::Int(self.id.into()),
            Cell::Text(&self.name),
            Cell::Text(self.kind),
            Cell::text(self.political_party_name),
            Cell::text(self.position),
            Cell::Bool(self.is_politician),
            Cell::int(self.politician_id),
            Cell::Time(self.created_at),
            Cell::Time(self.created_at),
        ]
    }
}

/// One utterance; its speaker name borrows from the speakers or the word lists.
#[derive(Clone, Debug)]
pub struct Conversation<'a> {
    pub id: i32,
    pub minutes_id: i32,
    pub speaker_id: Option<i32>,
    pub speaker_name: &'a str,
    pub comment: String,
    pub sequence_number: i32,
    pub created_at: NaiveDateTime,
}

impl Row for Conversation<'_> {
    const TABLE: &'static str = "conversations";
    const COLUMNS: &'static [&'static str] = &[
        "id",
        "minutes_id",
        "speaker_id",
        "speaker_name",
        "comment",
        "sequence_number",
        "created_at",
        "updated_at",
    ];

    fn cells(&self) -> Vec<Cell<'_>> {
        vec![
            Cell::Int(self.id.into()),
            Cell::Int(self.minutes_id.into()),
            Cell::int(self.speaker_id),
            Cell::Text(self.speaker_name),
            Cell::Text(&self.comment),
            Cell::Int(self.sequence_number.into()),
            Cell::Time(self.created_at),
            Cell::Time(self.created_at),
        ]
    }
}

#[derive(Clone, Debug)]
pub struct LlmRun {
    pub id: i32,
    pub processing_type: &'static str,
    pub prompt_template: &'static str,
    pub input_reference_type: &'static str,
    pub input_reference_id: i32,
    pub status: &'static str,
    pub error_message: Option<&'static str>,
    pub started_at: Option<NaiveDateTime>,
    pub completed_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
}

/// The model every invented processing run used.
pub const LLM_MODEL: (&str, &str) = ("gemini-2.0-flash", "gemini-2.0-flash-001");

impl Row for LlmRun {
    const TABLE: &'static str = "llm_processing_history";
    const COLUMNS: &'static [&'static str] = &[
        "id",
        "processing_type",
        "model_name",
        "model_version",
        "prompt_template",
        "input_reference_type",
        "input_reference_id",
        "status",
        "error_message",
        "started_at",
        "completed_at",
        "created_at",
        "updated_at",
    ];

    fn cells(&self) -> Vec<Cell<'_>> {
        let updated_at = self
            .completed_at
            .or(self.started_at)
            .unwrap_or(self.created_at);
        vec![
            Cell::Int(self.id.into()),
            Cell::Text(self.processing_type),
            Cell::Text(LLM_MODEL.0),
            Cell::Text(LLM_MODEL.1),
            Cell::Text(self.prompt_template),
            Cell::Text(self.input_reference_type),
            Cell::Int(self.input_reference_id.into()),
            Cell::Text(self.status),
            Cell::text(self.error_message),
            Cell::time(self.started_at),
            Cell::time(self.completed_at),
            Cell::Time(self.created_at),
            Cell::Time(updated_at),
        ]
    }
}
