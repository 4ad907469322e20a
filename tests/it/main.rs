//! The integration tests, in one binary: each module drives the library or
//! the real `segurdoc` binary on fixture projects.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failing test should panic

mod browser;
mod check;
mod cli;
mod diff;
mod documents;
mod publiee;
mod rules;
mod serve;
mod site;
