//! The server through its router (`oneshot`, no sockets): the API end to end on the
//! bundled example case, bad uploads, and the authorisation matrix over every route.

mod api;
mod assignments;
mod common;
mod consent;
mod matrix;
mod pages;
