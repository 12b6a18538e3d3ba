//! Integration tests against real PostgreSQL (one fresh database per test) and SQLite.

#![allow(clippy::unwrap_used)]

mod api;
mod browser;
mod demo;
mod faults;
mod metrics;
mod parity;
mod support;
