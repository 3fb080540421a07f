use tailor_store::{MasterKey, Store, StoreConfig};

/// A store on a fresh database, with the temporary folder that holds its data.
pub(crate) struct TestStore {
    pub(crate) store: Store,
    pub(crate) name: &'static str,
    /// The PostgreSQL database URL, for `pg_dump`.
    pub(crate) url: Option<String>,
    _dir: tempfile::TempDir,
}

/// One fresh store per backend: SQLite, and PostgreSQL when `TAILOR_TEST_POSTGRES` is
/// set to a server URL whose user may create databases (each test gets its own).
pub(crate) async fn stores() -> Vec<TestStore> {
    let key = MasterKey::generate();
    let mut out = Vec::new();
    let dir = tempfile::tempdir().unwrap();
    let config = StoreConfig {
        data_dir: dir.path().join("data"),
        database_url: None,
    };
    out.push(TestStore {
        store: Store::open(&config, key.clone())
            .await
            .expect("SQLite store opens"),
        name: "sqlite",
        url: None,
        _dir: dir,
    });
    if let Some(server) = std::env::var_os("TAILOR_TEST_POSTGRES") {
        let server = server.to_string_lossy().into_owned();
        let (store, url) = postgres_store(&server, key).await;
        out.push(TestStore {
            store,
            name: "postgres",
            url: Some(url),
            _dir: tempfile::tempdir().unwrap(),
        });
    } else if std::env::var_os("TAILOR_REQUIRE_EXTERNAL_TOOLS").is_some() {
        panic!("TAILOR_TEST_POSTGRES is not set, and CI requires the PostgreSQL run");
    }
    out
}

async fn postgres_store(server: &str, key: MasterKey) -> (Store, String) {
    use sqlx::Connection;
    sqlx::any::install_default_drivers();
    let name = format!("tailor_test_{}", hex_id());
    let mut admin = sqlx::AnyConnection::connect(server)
        .await
        .expect("PostgreSQL server from TAILOR_TEST_POSTGRES");
    // PostgreSQL refuses CREATE DATABASE while another session uses the template
    // (`template1 is being accessed by other users`), as the server's own set-up or a
    // parallel test can for a moment: try again briefly before failing.
    let mut attempt = 0;
    loop {
        match sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(&mut admin)
            .await
        {
            Ok(_) => break,
            Err(e) if attempt < 10 => {
                attempt += 1;
                eprintln!("CREATE DATABASE {name}: {e}; retrying");
                std::thread::sleep(std::time::Duration::from_millis(200));
            }
            Err(e) => panic!("create a test database: {e}"),
        }
    }
    let (base, _) = server.rsplit_once('/').expect("URL ends with /DATABASE");
    let dir = tempfile::tempdir().unwrap();
    let url = format!("{base}/{name}");
    let config = StoreConfig {
        data_dir: dir.keep(),
        database_url: Some(url.clone()),
    };
    let store = Store::open(&config, key)
        .await
        .expect("PostgreSQL store opens");
    (store, url)
}

fn hex_id() -> String {
    use std::time::{SystemTime, UNIX_EPOCH};
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    format!("{:x}_{}", nanos, std::process::id())
}
