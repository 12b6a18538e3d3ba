//! Integration tests against real PostgreSQL (one fresh database per test) and SQLite.

#![allow(clippy::unwrap_used)]

mod api;
mod demo;
mod metrics;
mod support;
