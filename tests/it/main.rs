//! Integration tests against real PostgreSQL (one fresh database per test) and SQLite.

#![allow(clippy::unwrap_used)]

mod api;
mod auth;
mod browser;
mod demo;
mod export;
mod faults;
mod fuzz;
mod limits;
mod metrics;
mod parity;
mod roles;
mod support;
