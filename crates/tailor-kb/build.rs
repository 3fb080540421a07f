//! Embeds the team's curated oncology tables (`<repo>/kb/onco/*.tsv`) into the library so
//! an installed `tailor` works without the repository. A table that is absent at compile
//! time (the crate built outside the workspace, e.g. from a package) is embedded as
//! `None`; building the knowledge base then asks for an override folder instead of
//! failing to compile.

use std::fmt::Write as _;
use std::path::Path;

const TABLES: [&str; 3] = ["genes.tsv", "evidence.tsv", "variant_keys.tsv"];

fn main() {
    let manifest = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| ".".into());
    let kb = Path::new(&manifest).join("../../kb");
    // Watching the folder (cargo scans it recursively) also catches tables that appear
    // after the first build.
    println!("cargo:rerun-if-changed={}", kb.display());
    println!("cargo:rerun-if-changed=build.rs");
    let mut code = String::from(
        "/// The curated tables as compiled in: (file name, content if present).\n\
         pub(crate) const EMBEDDED: [(&str, Option<&str>); 3] = [\n",
    );
    for name in TABLES {
        let path = kb.join("onco").join(name);
        if path.is_file() {
            let abs = path.canonicalize().unwrap_or(path);
            let _ = writeln!(
                code,
                "    ({name:?}, Some(include_str!({:?}))),",
                abs.to_string_lossy()
            );
        } else {
            let _ = writeln!(code, "    ({name:?}, None),");
        }
    }
    code.push_str("];\n");
    let out = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    std::fs::write(Path::new(&out).join("curated_tables.rs"), code)
        .expect("write curated_tables.rs");
}
