//! The web app over real HTTP: a [`TestApp`] per test (fresh database with the demo units, the
//! real router on a random port). SQLite by default; PostgreSQL with LANGSO_TEST_DATABASE_URL.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod a11y;
mod access;
mod admin_pages;
mod alarm_pages;
mod api_errors;
mod asset_pages;
mod auth;
mod browser;
mod comms;
mod comms_events;
mod comms_one_language;
mod connections;
mod crafted_uploads;
mod credentials;
mod fault_reports;
mod fault_updates;
mod figures;
mod household_files;
mod households;
mod import_templates;
mod layers;
mod mqtt_ingest;
mod multinode;
mod official_report;
mod one_language;
mod open311;
mod open311_conformance;
mod openapi;
mod page_sizes;
mod pages;
mod phone;
mod posters;
mod programme;
mod programme_pages;
mod public_guides;
mod public_text;
mod redirects;
// --- h15a: the round ---
mod round;
mod round_browser;
mod support;
mod system;
mod telemetry;
mod telemetry_limits;
mod units_api;
mod walk;
mod webhook_pages;
// h17a: channel settings
mod channel_pages;
