//! The `tailor` binary: a thin shell over the library crates.
fn main() {}
