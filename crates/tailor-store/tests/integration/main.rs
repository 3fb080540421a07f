//! The store against real databases: an SQLite file always, and PostgreSQL as well when
//! `TAILOR_TEST_POSTGRES` names a server (`.ci/run` starts one on loopback). Every test
//! runs on each backend.

mod audit;
mod cases;
mod common;
mod users;
