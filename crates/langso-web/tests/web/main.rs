//! The web app over real HTTP: a [`TestApp`] per test (fresh database with the demo units, the
//! real router on a random port). SQLite by default; PostgreSQL with LANGSO_TEST_DATABASE_URL.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod access;
mod auth;
mod browser;
// --- comms ---
mod comms;
mod household_files;
mod households;
mod open311;
mod openapi;
mod pages;
mod posters;
// --- teams, criteria, dashboard ---
mod programme;
mod public_guides;
mod support;
mod system;
mod telemetry;
mod units_api;
// --- comms follow-ups (issue 8b) ---
mod comms_events;
mod webhook_pages;
// --- assets pages (issue 7c) ---
mod asset_pages;
// --- programme pages (issue 5c) ---
mod programme_pages;
