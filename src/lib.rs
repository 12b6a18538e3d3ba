//! polibase-bi: a dashboard of how much of Japan's political record a Polibase
//! database holds, how well its speakers are linked and whether processing keeps up.
//!
//! Layers, in the order a request flows through them: [`http`] (routes, page,
//! JSON) → [`metrics`] (the figures and their snapshot cache) → [`db`] (queries
//! for PostgreSQL and SQLite) → the database. [`export`] turns a computed dashboard into
//! CSV, Excel and JSON files. [`cli`] and [`config`] start it all.

pub mod auth;
pub mod cli;
pub mod clock;
pub mod config;
pub mod db;
pub mod demo;
pub mod export;
pub mod http;
pub mod metrics;
pub mod observability;
pub mod telemetry;
pub mod web;
