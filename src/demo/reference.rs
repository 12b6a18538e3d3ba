//! The reference rows every demo database starts from: the governing bodies,
//! conferences and parties of a stock Polibase database, read from the CSV
//! files in `data/` that are compiled into the binary.
//!
//! The files hold no quoted fields (a test keeps it that way), so a line is
//! split on commas. Rows keep their given ids and values exactly; only the
//! creation times are the demo's.

use std::collections::HashMap;

use chrono::NaiveDateTime;

use super::DemoError;
use super::rows::{Conference, GoverningBody, PoliticalParty};

const GOVERNING_BODIES: &str = include_str!("../../data/governing_bodies.csv");
const CONFERENCES: &str = include_str!("../../data/conferences.csv");
const POLITICAL_PARTIES: &str = include_str!("../../data/political_parties.csv");

/// The reference rows, ready to be written.
#[derive(Clone, Debug)]
pub struct Reference {
    pub bodies: Vec<GoverningBody>,
    pub conferences: Vec<Conference>,
    pub parties: Vec<PoliticalParty>,
}

impl Reference {
    /// Parses the compiled-in files, giving every row the creation time `at`.
    pub fn parse(at: NaiveDateTime) -> Result<Self, DemoError> {
        let bodies = bodies(at)?;
        let conferences = conferences(&bodies, at)?;
        let parties = parties(at)?;
        Ok(Self {
            bodies,
            conferences,
            parties,
        })
    }
}

/// The data lines of a CSV file, each split into exactly `columns` fields.
fn records(
    file: &'static str,
    text: &'static str,
    columns: usize,
) -> Result<Vec<Vec<&'static str>>, DemoError> {
    text.lines()
        .skip(1)
        .filter(|line| !line.trim().is_empty())
        .enumerate()
        .map(|(index, line)| {
            let fields: Vec<&'static str> = line.trim_end_matches('\r').split(',').collect();
            if fields.len() == columns {
                Ok(fields)
            } else {
                Err(DemoError::ReferenceData(format!(
                    "{file} line {} has {} fields instead of {columns}",
                    index + 2,
                    fields.len()
                )))
            }
        })
        .collect()
}

fn non_empty(field: &'static str) -> Option<&'static str> {
    Some(field).filter(|value| !value.is_empty())
}

fn bodies(at: NaiveDateTime) -> Result<Vec<GoverningBody>, DemoError> {
    let rows = records("governing_bodies.csv", GOVERNING_BODIES, 7)?;
    rows.into_iter()
        .map(|fields| {
            let id = fields[0].parse().map_err(|_| {
                DemoError::ReferenceData(format!("governing_bodies.csv: bad id {}", fields[0]))
            })?;
            Ok(GoverningBody {
                id,
                name: fields[1],
                kind: non_empty(fields[2]),
                organization_code: non_empty(fields[3]),
                organization_type: non_empty(fields[4]),
                prefecture: non_empty(fields[5]),
                created_at: at,
            })
        })
        .collect()
}

fn conferences(bodies: &[GoverningBody], at: NaiveDateTime) -> Result<Vec<Conference>, DemoError> {
    let by_name: HashMap<(&str, Option<&str>), i32> = bodies
        .iter()
        .map(|body| ((body.name, body.kind), body.id))
        .collect();
    let rows = records("conferences.csv", CONFERENCES, 4)?;
    rows.into_iter()
        .zip(1..)
        .map(|(fields, id)| {
            let body = non_empty(fields[2]);
            let governing_body_id = match body {
                None => None,
                Some(name) => {
                    Some(*by_name.get(&(name, non_empty(fields[3]))).ok_or_else(|| {
                        DemoError::ReferenceData(format!("conferences.csv: no body {name}"))
                    })?)
                }
            };
            Ok(Conference {
                id,
                name: fields[0].to_string(),
                kind: non_empty(fields[1]),
                governing_body_id,
                created_at: at,
            })
        })
        .collect()
}

fn parties(at: NaiveDateTime) -> Result<Vec<PoliticalParty>, DemoError> {
    let rows = records("political_parties.csv", POLITICAL_PARTIES, 1)?;
    Ok(rows
        .into_iter()
        .zip(1..)
        .map(|(fields, id)| PoliticalParty {
            id,
            name: fields[0],
            created_at: at,
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reference_files_parse_completely_without_quotes() {
        let reference = Reference::parse(NaiveDateTime::default()).unwrap();

        assert_eq!(reference.bodies.len(), 1795);
        assert_eq!(reference.conferences.len(), 78);
        assert_eq!(reference.parties.len(), 17);
        assert_eq!(
            reference
                .conferences
                .iter()
                .filter(|c| c.governing_body_id.is_none())
                .count(),
            1
        );
        assert!(
            ![GOVERNING_BODIES, CONFERENCES, POLITICAL_PARTIES]
                .iter()
                .any(|t| t.contains('"'))
        );
    }
}
