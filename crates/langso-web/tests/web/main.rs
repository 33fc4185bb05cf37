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
// --- h17b: announcements aimed, the commune radio ---
mod comms_aim;
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
mod notify_pages;
// h21a: consent per person, who saw what
mod consent_seen_pages;
mod official_report;
mod offline_sync;
// --- h18b: the offline round ---
mod offline_app;
mod offline_browser;
mod offline_proxy;
mod one_language;
mod open311;
mod open311_conformance;
mod openapi;
// --- h20d: operator alerts ---
mod ops_alerts;
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
mod privacy_pages;
mod privacy_request_pages;
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
// h17d: delivery reports
mod delivery_reports;
