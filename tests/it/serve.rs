//! `segurdoc serve` as a user runs it: no rebuild without an edit, exactly
//! one per edit, a clean stop on SIGTERM, a busy port refused before
//! anything is written.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

fn sample_project() -> tempfile::TempDir {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    for sub in ["data", "content"] {
        crate::check::copy_tree(&repo.join(sub), &dir.path().join(sub));
    }
    dir
}

/// Kills the server if the test fails before stopping it.
struct Running(std::process::Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn builds(lines: &Mutex<Vec<String>>) -> usize {
    lines
        .lock()
        .unwrap()
        .iter()
        .filter(|l| l.starts_with("site construit"))
        .count()
}

fn wait_for(lines: &Mutex<Vec<String>>, count: usize, within: Duration) {
    let start = Instant::now();
    while builds(lines) < count && start.elapsed() < within {
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn serve_rebuilds_once_per_edit_and_never_without_one() {
    let project = sample_project();
    let mut child = Running(
        Command::new(env!("CARGO_BIN_EXE_segurdoc"))
            .args(["serve", "--port", "0", "--project"])
            .arg(project.path())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap(),
    );
    let lines = Arc::new(Mutex::new(Vec::new()));
    let reader = {
        let lines = Arc::clone(&lines);
        let stderr = child.0.stderr.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                lines.lock().unwrap().push(line);
            }
        })
    };
    wait_for(&lines, 1, Duration::from_secs(60));
    assert_eq!(builds(&lines), 1, "{:?}", lines.lock().unwrap());
    // Five seconds without an edit: no rebuild (each build reads data/,
    // which must not count as a change).
    std::thread::sleep(Duration::from_secs(5));
    assert_eq!(builds(&lines), 1, "{:?}", lines.lock().unwrap());
    // One edit (written in two steps, as editors do): one rebuild.
    let page = walkdir::WalkDir::new(project.path().join("content"))
        .into_iter()
        .filter_map(Result::ok)
        .find(|e| e.path().extension().is_some_and(|x| x == "md"))
        .unwrap()
        .into_path();
    let mut text = std::fs::read_to_string(&page).unwrap();
    text.push_str("\nUne ligne ajoutée.\n");
    std::fs::write(&page, &text[..text.len() / 2]).unwrap();
    std::fs::write(&page, &text).unwrap();
    wait_for(&lines, 2, Duration::from_secs(30));
    std::thread::sleep(Duration::from_secs(2));
    assert_eq!(builds(&lines), 2, "{:?}", lines.lock().unwrap());

    // SIGTERM: a clean stop, nothing left beside output/.
    // The shell's own `kill` (no procps needed).
    let status = Command::new("sh")
        .args(["-c", &format!("kill -TERM {}", child.0.id())])
        .status()
        .unwrap();
    assert!(status.success());
    let code = child.0.wait().unwrap();
    reader.join().unwrap();
    assert_eq!(code.code(), Some(0), "{:?}", lines.lock().unwrap());
    let leftovers: Vec<String> = std::fs::read_dir(project.path())
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("output."))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    assert!(project.path().join("output/index.html").is_file());
}

#[test]
fn serve_on_a_busy_port_fails_before_writing_anything() {
    let project = sample_project();
    let busy = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = busy.local_addr().unwrap().port().to_string();
    let (code, _, stderr) = crate::check::run_binary(project.path(), &["serve", "--port", &port]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("impossible d'écouter sur 127.0.0.1:"),
        "{stderr}"
    );
    assert!(!project.path().join("output").exists());
}
