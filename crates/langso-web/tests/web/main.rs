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
mod phone;
mod posters;
// --- teams, criteria, dashboard ---
mod programme;
mod public_guides;
mod public_text;
mod redirects;
mod support;
mod system;
mod telemetry;
// --- issue 13: MQTT and telemetry limits ---
mod mqtt_ingest;
mod telemetry_limits;
mod units_api;
// --- comms follow-ups (issue 8b) ---
mod asset_pages;
mod comms_events;
mod programme_pages;
mod webhook_pages;
