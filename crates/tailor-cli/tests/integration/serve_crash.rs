//! `tailor serve` killed with SIGKILL in the middle of an upload and right after a case
//! was queued (its run queued or under way), then started again: no half-written file is
//! visible, nothing of the cut-off upload is stored, the interrupted run is resumed to
//! the end, and the audit chain verifies.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use crate::common::shared_data;

struct Server {
    child: Child,
    addr: String,
}

fn start(dir: &Path) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_tailor"))
        .args([
            "serve",
            "--data-dir",
            "data",
            "--dev-insecure-key",
            "--bind",
            "127.0.0.1:0",
        ])
        .arg("--kb")
        .arg(crate::common::kb())
        .current_dir(dir)
        .env_remove("TAILOR_KEY")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let mut lines = BufReader::new(stderr).lines();
    let addr = loop {
        let line = lines.next().expect("server output").unwrap();
        if let Some(rest) = line.strip_prefix("tailor serve: listening on http://") {
            break rest.to_string();
        }
    };
    // Keep draining the server's error output so that it never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    Server { child, addr }
}

fn kill(mut server: Server) {
    // SIGKILL: no handler runs, nothing is cleaned up.
    server.child.kill().unwrap();
    server.child.wait().unwrap();
}

/// A minimal HTTP/1.1 exchange (the test needs no client library): the status and body.
fn request(addr: &str, head: &str, body: &[u8]) -> (u16, String) {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .write_all(
            format!(
                "{head}Content-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            )
            .as_bytes(),
        )
        .unwrap();
    stream.write_all(body).unwrap();
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).unwrap();
    let text = String::from_utf8_lossy(&answer).into_owned();
    let status = text[9..12].parse().unwrap();
    let body = text
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    (status, body)
}

fn multipart(parts: &[(&str, Vec<u8>)]) -> (String, Vec<u8>) {
    let boundary = "crash-test-boundary-81d2";
    let mut body = Vec::new();
    for (name, bytes) in parts {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{name}\"\r\n\r\n").as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

fn files_under(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            out.push(e.file_name().to_string_lossy().into_owned());
        }
    }
    out
}

#[test]
fn killed_mid_upload_and_mid_run_the_server_recovers() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let tailor = |args: &[&str], stdin: &str| {
        let mut child = Command::new(env!("CARGO_BIN_EXE_tailor"))
            .args(args)
            .current_dir(d)
            .env_remove("TAILOR_KEY")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(stdin.as_bytes())
            .unwrap();
        child.wait_with_output().unwrap()
    };
    let store = ["--data-dir", "data", "--dev-insecure-key"];
    let mut add = vec!["admin", "add-user"];
    add.extend(store);
    add.extend([
        "--username",
        "onc",
        "--role",
        "oncologist",
        "--board",
        "gi",
        "--password-stdin",
    ]);
    assert!(tailor(&add, "a long enough password\n").status.success());
    let mut add_token = vec!["admin", "add-token"];
    add_token.extend(store);
    add_token.extend(["--username", "onc"]);
    let token = String::from_utf8(tailor(&add_token, "").stdout)
        .unwrap()
        .trim()
        .to_string();

    let vcf =
        std::fs::read(shared_data().join("onco/testdata/pcgr/T001-COAD.grch38.vcf.gz")).unwrap();
    let manifest = b"patient: CRASH-1\ntumor_type: COAD\nsomatic:\n  vcf: t.vcf.gz\n".to_vec();
    let (content_type, body) = multipart(&[("manifest", manifest), ("t.vcf.gz", vcf)]);
    let head = format!(
        "POST /api/v1/cases HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\nContent-Type: {content_type}\r\n"
    );

    // 1. Killed in the middle of an upload: half the body sent, then SIGKILL.
    let server = start(d);
    let mut stream = TcpStream::connect(&server.addr).unwrap();
    stream
        .write_all(format!("{head}Content-Length: {}\r\n\r\n", body.len()).as_bytes())
        .unwrap();
    stream.write_all(&body[..body.len() / 2]).unwrap();
    stream.flush().unwrap();
    std::thread::sleep(Duration::from_millis(200));
    kill(server);
    drop(stream);
    let blobs = d.join("data/blobs");
    assert!(files_under(&blobs).is_empty(), "{:?}", files_under(&blobs));

    // 2. Started again: nothing of the cut-off upload; a full upload is queued, and the
    // server is killed at once, with the run queued or under way.
    let server = start(d);
    let list =
        format!("GET /api/v1/cases HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\n");
    let (status, cases) = request(&server.addr, &list, b"");
    assert_eq!(status, 200);
    assert!(cases.contains("\"cases\":[]"), "{cases}");
    let (status, created) = request(&server.addr, &head, &body);
    assert_eq!(status, 201, "{created}");
    let id = created.split('"').nth(3).unwrap().to_string();
    kill(server);
    assert!(
        files_under(&blobs).iter().all(|f| !f.starts_with(".tmp-")),
        "{:?}",
        files_under(&blobs)
    );

    // The run was most likely under way when the server died (it takes ~0.2 s and starts
    // when the case is queued). Should it have finished first, put the database back in
    // the state a kill during the run leaves (job and case running, no interpretation),
    // so that the restart below always has a run to resume.
    let state = job_state(d);
    if state == "done" {
        simulate_mid_run(d);
    }
    assert!(
        state == "running" || state == "queued" || state == "done",
        "{state}"
    );

    // 3. Started again: the run is resumed and the case ends done.
    let server = start(d);
    let read =
        format!("GET /api/v1/cases/{id} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\n");
    // Polled, not timed: the bound only keeps a hung server from hanging the suite (the
    // run takes about a second alone, far longer when every test binary runs at once).
    let mut last = String::new();
    for _ in 0..6000 {
        let (status, body) = request(&server.addr, &read, b"");
        assert_eq!(status, 200, "{body}");
        let finished =
            body.contains("\"status\":\"done\"") || body.contains("\"status\":\"failed\"");
        last = body;
        if finished {
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    kill(server);
    assert!(
        last.contains("\"status\":\"done\""),
        "{}",
        &last[..last.len().min(500)]
    );

    let mut verify = vec!["audit", "verify"];
    verify.extend(store);
    let verified = tailor(&verify, "");
    assert_eq!(
        verified.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&verified.stdout)
    );
}

fn with_store<T>(dir: &Path, f: impl AsyncFnOnce(&tailor_store::Store) -> T) -> T {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let config = tailor_store::StoreConfig {
            data_dir: dir.join("data"),
            database_url: None,
        };
        let store = tailor_store::Store::open(&config, tailor_store::MasterKey::dev_insecure())
            .await
            .unwrap();
        let out = f(&store).await;
        store.close().await;
        out
    })
}

fn job_state(dir: &Path) -> String {
    with_store(dir, async |store| {
        sqlx::query_scalar::<_, String>("SELECT state FROM jobs")
            .fetch_one(store.pool())
            .await
            .unwrap()
    })
}

fn simulate_mid_run(dir: &Path) {
    with_store(dir, async |store| {
        for sql in [
            "DELETE FROM interpretations",
            "UPDATE jobs SET state = 'running'",
            "UPDATE cases SET status = 'running'",
        ] {
            sqlx::query(sql).execute(store.pool()).await.unwrap();
        }
    })
}
