use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use tailor_server::{app, AppState, ServerConfig};
use tailor_store::{MasterKey, Role, Store, StoreConfig};
use tower::ServiceExt;

pub(crate) fn shared_data() -> PathBuf {
    std::env::var_os("TAILOR_SHARED_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data"))
}

/// The engines of the knowledge base built from the shared data, once per test binary.
pub(crate) fn engines() -> Arc<tailor_interpret::Engines> {
    static ENGINES: OnceLock<Arc<tailor_interpret::Engines>> = OnceLock::new();
    ENGINES
        .get_or_init(|| {
            let kb = tailor_kb::build(&tailor_kb::SourcePaths::from_shared_data(&shared_data()))
                .expect("KB builds");
            Arc::new(tailor_interpret::Engines::new(Arc::new(kb)).expect("engines"))
        })
        .clone()
}

/// A server on a fresh SQLite data directory.
pub(crate) struct TestServer {
    pub(crate) state: AppState,
    pub(crate) _dir: tempfile::TempDir,
}

pub(crate) async fn server(config: ServerConfig) -> TestServer {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(
        &StoreConfig {
            data_dir: dir.path().join("data"),
            database_url: None,
        },
        MasterKey::generate(),
    )
    .await
    .unwrap();
    TestServer {
        state: AppState {
            store,
            engines: engines(),
            config,
            jobs: Default::default(),
            documents: Default::default(),
            throttle: Default::default(),
        },
        _dir: dir,
    }
}

/// Creates a user and returns an API token for them.
pub(crate) async fn user(state: &AppState, name: &str, role: Role, boards: &[&str]) -> String {
    let boards: Vec<String> = boards.iter().map(|b| b.to_string()).collect();
    state
        .store
        .add_user(name, role, "a long enough password", &boards)
        .await
        .unwrap();
    state.store.add_token(name, "test").await.unwrap()
}

/// An answer: status, content type, body.
pub(crate) struct Answer {
    pub(crate) status: StatusCode,
    pub(crate) content_type: String,
    pub(crate) body: Vec<u8>,
}

impl Answer {
    pub(crate) fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }

    pub(crate) fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

pub(crate) async fn send(state: &AppState, request: Request<Body>) -> Answer {
    let response = app(state.clone()).oneshot(request).await.unwrap();
    let status = response.status();
    let content_type = response
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    let body = response
        .into_body()
        .collect()
        .await
        .unwrap()
        .to_bytes()
        .to_vec();
    Answer {
        status,
        content_type,
        body,
    }
}

pub(crate) fn get(path: &str, token: Option<&str>) -> Request<Body> {
    let mut r = Request::get(path);
    if let Some(token) = token {
        r = r.header("authorization", format!("Bearer {token}"));
    }
    r.body(Body::empty()).unwrap()
}

/// A PUT of a JSON body.
pub(crate) fn put_json(path: &str, token: Option<&str>, body: &serde_json::Value) -> Request<Body> {
    let mut r = Request::put(path).header("content-type", "application/json");
    if let Some(token) = token {
        r = r.header("authorization", format!("Bearer {token}"));
    }
    r.body(Body::from(body.to_string())).unwrap()
}

/// A multipart/form-data POST of named parts.
pub(crate) fn post_form(
    path: &str,
    token: Option<&str>,
    parts: &[(&str, Vec<u8>)],
) -> Request<Body> {
    let boundary = "tailor-test-boundary-5f2c";
    let mut body = Vec::new();
    for (name, bytes) in parts {
        body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
        body.extend_from_slice(
            format!("Content-Disposition: form-data; name=\"{name}\"; filename=\"{name}\"\r\n\r\n")
                .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    let mut r = Request::post(path).header(
        "content-type",
        format!("multipart/form-data; boundary={boundary}"),
    );
    if let Some(token) = token {
        r = r.header("authorization", format!("Bearer {token}"));
    }
    r.body(Body::from(body)).unwrap()
}

/// The bundled colorectal example as an upload: the manifest with bare file names, and
/// one part per file.
pub(crate) fn example_upload(board: Option<&str>) -> Vec<(&'static str, Vec<u8>)> {
    let data = shared_data();
    let files = [
        (
            "T001-COAD.grch38.vcf.gz",
            "onco/testdata/pcgr/T001-COAD.grch38.vcf.gz",
        ),
        (
            "T001-COAD.grch38.cna.tsv",
            "onco/testdata/pcgr/T001-COAD.grch38.cna.tsv",
        ),
        (
            "T001-COAD.grch38.fusions.tsv",
            "onco/testdata/pcgr/T001-COAD.grch38.fusions.tsv",
        ),
        (
            "pharmcat.example.vcf",
            "pgx/pharmcat-3.1.1/examples/pharmcat.example.vcf",
        ),
        (
            "pharmcat.example.outsideCall.tsv",
            "pgx/pharmcat-3.1.1/examples/pharmcat.example.outsideCall.tsv",
        ),
    ];
    let manifest = "patient: EXAMPLE-CRC-001\ntumor_type: COAD\nsample_type: tissue\npurity: 0.6\n\
        assembly: GRCh38\nsomatic:\n  vcf: T001-COAD.grch38.vcf.gz\n  segments: T001-COAD.grch38.cna.tsv\n\
        \x20 fusions: T001-COAD.grch38.fusions.tsv\n  panel_size_mb: 34.0\nbiomarkers:\n  msi: MSS\n\
        germline:\n  vcf: pharmcat.example.vcf\n  outside_calls: pharmcat.example.outsideCall.tsv\n\
        medications: [capecitabine, clopidogrel]\n";
    let mut parts = vec![("manifest", manifest.as_bytes().to_vec())];
    if let Some(board) = board {
        parts.push(("board", board.as_bytes().to_vec()));
    }
    for (name, path) in files {
        parts.push((name, std::fs::read(data.join(path)).unwrap()));
    }
    parts
}
