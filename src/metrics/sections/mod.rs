//! Turning query results into the sections of the dashboard document. The
//! arithmetic of every figure lives here, next to nothing but plain data.

pub mod activity;
pub mod cards;
pub mod coverage;
pub mod meetings;
pub mod processing;
pub mod speakers;
