//! `segurdoc serve`: builds, serves the output on 127.0.0.1, rebuilds when
//! an input changes and reloads the open pages. A failed rebuild keeps the
//! last good site online and shows the diagnostics in the page and in the
//! terminal.

use std::path::{Component, Path, PathBuf};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use notify::{RecursiveMode, Watcher};

/// The inputs watched, below the project folder.
const INPUT_DIRS: [&str; 3] = ["data", "content", "templates"];

/// What the pages poll: a version bumped by every build attempt, and the
/// diagnostics of the last one when it failed.
#[derive(Debug, Default, Clone, serde::Serialize)]
struct State {
    version: u64,
    errors: String,
}

const LIVE_JS: &str = r#"(function () {
  "use strict";
  var version = null;
  function show(errors) {
    var box = document.getElementById("segurdoc-erreurs");
    if (!errors) { if (box) box.remove(); return; }
    if (!box) {
      box = document.createElement("div");
      box.id = "segurdoc-erreurs";
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;left:0;right:0;bottom:0;max-height:50vh;overflow:auto;background:#fff3f3;color:#5a0000;border-top:4px solid #b00020;padding:1rem;z-index:1000;font:14px/1.45 ui-monospace,monospace;white-space:pre-wrap";
      document.body.appendChild(box);
    }
    box.textContent = "La dernière construction a échoué ; ce site est la dernière version valide.\n\n" + errors;
  }
  function poll() {
    fetch("/__segurdoc/state", { cache: "no-store" })
      .then(function (r) { return r.json(); })
      .then(function (s) {
        if (version !== null && s.version !== version && !s.errors) { location.reload(); return; }
        version = s.version;
        show(s.errors);
      })
      .catch(function () {})
      .then(function () { setTimeout(poll, 700); });
  }
  poll();
})();
"#;

/// Runs the server until the process is stopped; returns an exit code.
pub fn serve(project: &Path, port: u16) -> u8 {
    if !project.is_dir() {
        eprintln!(
            "error: le dossier de projet « {} » n'existe pas",
            project.display()
        );
        return 2;
    }
    // The port first: a second `serve` on a busy port fails before it
    // touches anything.
    let server = match tiny_http::Server::http(("127.0.0.1", port)) {
        Ok(s) => s,
        Err(err) => {
            eprintln!("error: impossible d'écouter sur 127.0.0.1:{port} : {err}");
            return 2;
        }
    };
    let output = project.join("output");
    let state = Arc::new(Mutex::new(State::default()));
    // Held while a build runs; stopping waits for it, so that no staging
    // folder is left behind and the swap of `output` is never cut.
    let building = Arc::new(Mutex::new(()));
    {
        let building = Arc::clone(&building);
        let output = output.clone();
        let stop = ctrlc::set_handler(move || {
            let _guard = building.lock();
            remove_staging(&output);
            eprintln!("serve arrêté");
            std::process::exit(0);
        });
        if let Err(err) = stop {
            eprintln!("error: arrêt propre impossible à installer : {err}");
            return 2;
        }
    }
    rebuild(project, &output, &state, &building);

    let actual = server.server_addr().to_ip().map_or(port, |a| a.port());
    println!("Site servi sur http://127.0.0.1:{actual}/ — reconstruit à chaque modification de data/, content/ ou templates/ (Ctrl+C pour arrêter)");

    let (tx, rx) = mpsc::channel();
    let mut watcher =
        match notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
            // Only changes rebuild: reading the inputs (each build does)
            // reports opens, accesses and metadata, which must not.
            if let Ok(event) = event {
                if is_change(&event.kind) {
                    let _ = tx.send(event.paths);
                }
            }
        }) {
            Ok(w) => w,
            Err(err) => {
                eprintln!("error: surveillance des fichiers impossible : {err}");
                return 2;
            }
        };
    let _ = watcher.watch(project, RecursiveMode::NonRecursive);
    let mut watched: Vec<PathBuf> = Vec::new();
    watch_inputs(&mut watcher, project, &mut watched);

    let root = project.to_path_buf();
    let builder_state = Arc::clone(&state);
    let builder_output = output.clone();
    std::thread::spawn(move || {
        while let Ok(paths) = rx.recv() {
            if !paths.iter().any(|p| is_input(&root, p)) {
                continue;
            }
            // Editors write in bursts: one rebuild when the burst has been
            // quiet for 150 ms.
            let mut deadline = Instant::now() + Duration::from_millis(150);
            while let Some(left) = deadline.checked_duration_since(Instant::now()) {
                match rx.recv_timeout(left) {
                    Ok(more) if more.iter().any(|p| is_input(&root, p)) => {
                        deadline = Instant::now() + Duration::from_millis(150);
                    }
                    Ok(_) => {}
                    Err(_) => break,
                }
            }
            watch_inputs(&mut watcher, &root, &mut watched);
            rebuild(&root, &builder_output, &builder_state, &building);
        }
    });

    for request in server.incoming_requests() {
        let response = respond(request.url(), &output, &state);
        let _ = request.respond(response);
    }
    0
}

/// An event that changes an input: created, written, removed or renamed.
fn is_change(kind: &notify::EventKind) -> bool {
    use notify::event::{EventKind, ModifyKind};
    match kind {
        EventKind::Create(_) | EventKind::Remove(_) => true,
        EventKind::Modify(m) => !matches!(m, ModifyKind::Metadata(_)),
        EventKind::Access(_) | EventKind::Any | EventKind::Other => false,
    }
}

/// Removes this process's staging and previous-site folders beside `output`
/// (left only if the process is stopped in the middle of a build).
fn remove_staging(output: &Path) {
    let (_, staging, old) = crate::site::write::staging_paths(output);
    for leftover in [staging, old] {
        if leftover.is_dir() {
            let _ = std::fs::remove_dir_all(leftover);
        }
    }
}

fn watch_inputs(watcher: &mut impl Watcher, project: &Path, watched: &mut Vec<PathBuf>) {
    for dir in INPUT_DIRS {
        let path = project.join(dir);
        if path.is_dir()
            && !watched.contains(&path)
            && watcher.watch(&path, RecursiveMode::Recursive).is_ok()
        {
            watched.push(path);
        }
    }
}

/// True for a path inside one of the input folders (or one of them).
fn is_input(project: &Path, path: &Path) -> bool {
    let relative = path
        .strip_prefix(project)
        .or_else(|_| path.strip_prefix(project.canonicalize().unwrap_or_default()))
        .unwrap_or(path);
    match relative.components().next() {
        Some(Component::Normal(first)) => INPUT_DIRS.iter().any(|d| first == *d),
        _ => false,
    }
}

fn rebuild(project: &Path, output: &Path, state: &Mutex<State>, building: &Mutex<()>) {
    let _guard = building.lock();
    let started = Instant::now();
    let epoch = std::env::var("SOURCE_DATE_EPOCH").ok();
    let errors = match crate::build_project(project, output, epoch.as_deref()) {
        Ok(built) => {
            eprint!("{}", built.diagnostics.render());
            eprintln!(
                "site construit : {} pages en {:.2} s",
                built.site.page_count(),
                started.elapsed().as_secs_f64()
            );
            String::new()
        }
        Err(crate::BuildError::Invalid(diags)) => {
            let text = diags.render();
            eprint!("{text}");
            eprintln!(
                "construction échouée ({}) : le site précédent reste servi",
                diags.summary()
            );
            text
        }
        Err(crate::BuildError::Load(err)) => format!("error: {err}\n"),
        Err(crate::BuildError::Date(message)) => format!("error: {message}\n"),
        Err(crate::BuildError::Write(err)) => format!("error: écriture impossible : {err}\n"),
    };
    if !errors.is_empty() && !errors.contains(": error") {
        eprint!("{errors}");
    }
    if let Ok(mut s) = state.lock() {
        s.version += 1;
        s.errors = errors;
    }
}

type Response = tiny_http::Response<std::io::Cursor<Vec<u8>>>;

/// Adds a header; names and values here are ASCII, so none is ever dropped.
fn with_header(response: Response, name: &str, value: &str) -> Response {
    match tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes()) {
        Ok(h) => response.with_header(h),
        Err(()) => response,
    }
}

fn reply(status: u16, content_type: &str, body: Vec<u8>) -> Response {
    let response = tiny_http::Response::from_data(body).with_status_code(status);
    let response = with_header(response, "Content-Type", content_type);
    with_header(response, "Cache-Control", "no-store")
}

fn respond(url: &str, output: &Path, state: &Mutex<State>) -> Response {
    let path = url.split(['?', '#']).next().unwrap_or("/");
    match path {
        "/__segurdoc/state" => {
            let s = state.lock().map(|s| s.clone()).unwrap_or_default();
            let json = serde_json::to_vec(&s).unwrap_or_default();
            return reply(200, "application/json", json);
        }
        "/__segurdoc/live.js" => {
            return reply(
                200,
                "text/javascript; charset=utf-8",
                LIVE_JS.as_bytes().to_vec(),
            )
        }
        _ => {}
    }
    let Some(relative) = safe_path(path) else {
        return reply(
            400,
            "text/plain; charset=utf-8",
            "chemin refusé".as_bytes().to_vec(),
        );
    };
    let mut file = output.join(&relative);
    if file.is_dir() {
        if !path.ends_with('/') {
            let response = tiny_http::Response::from_data(Vec::new()).with_status_code(301);
            return with_header(response, "Location", &format!("{path}/"));
        }
        file = file.join("index.html");
    }
    match std::fs::read(&file) {
        Ok(bytes) => {
            let ext = file.extension().and_then(|e| e.to_str()).unwrap_or("");
            let ct = content_type(ext);
            let body = if ext == "html" { inject(bytes) } else { bytes };
            reply(200, ct, body)
        }
        Err(_) => reply(
            404,
            "text/html; charset=utf-8",
            inject(format!("<!DOCTYPE html><html lang=\"fr\"><meta charset=\"utf-8\"><title>Page introuvable</title><body><h1>Page introuvable</h1><p>{} n'existe pas dans le site construit. <a href=\"/\">Accueil</a></p></body></html>", html_escape(path)).into_bytes()),
        ),
    }
}

/// Adds the live-reload script before `</body>`.
fn inject(mut html: Vec<u8>) -> Vec<u8> {
    let tag = b"<script src=\"/__segurdoc/live.js\"></script>";
    match html.windows(7).rposition(|w| w == b"</body>") {
        Some(at) => {
            html.splice(at..at, tag.iter().copied());
        }
        None => html.extend_from_slice(tag),
    }
    html
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// A percent-decoded URL path as a relative path, refused if it climbs out.
fn safe_path(path: &str) -> Option<PathBuf> {
    let bytes = path.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok()?;
            decoded.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            decoded.push(bytes[i]);
            i += 1;
        }
    }
    let text = String::from_utf8(decoded).ok()?;
    let mut out = PathBuf::new();
    for segment in text.split('/') {
        match segment {
            "" | "." => {}
            ".." => return None,
            s if s.contains('\\') || s.contains('\0') => return None,
            s => out.push(s),
        }
    }
    Some(out)
}

fn content_type(ext: &str) -> &'static str {
    match ext {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "csv" => "text/csv; charset=utf-8",
        "pdf" => "application/pdf",
        "png" => "image/png",
        "svg" => "image/svg+xml",
        "woff2" => "font/woff2",
        "md" | "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_cannot_escape_the_output() {
        assert_eq!(
            safe_path("/dispositifs/MS-DUI/index.html"),
            Some(PathBuf::from("dispositifs/MS-DUI/index.html"))
        );
        assert_eq!(
            safe_path("/a%20b/c.html"),
            Some(PathBuf::from("a b/c.html"))
        );
        assert_eq!(safe_path("/../etc/passwd"), None);
        assert_eq!(safe_path("/%2e%2e/secret"), None);
        assert_eq!(safe_path("/a%2"), Some(PathBuf::from("a%2")));
    }

    #[test]
    fn live_script_goes_before_the_end_of_body() {
        let html = String::from_utf8(inject(b"<html><body>x</body></html>".to_vec())).unwrap();
        assert_eq!(
            html,
            "<html><body>x<script src=\"/__segurdoc/live.js\"></script></body></html>"
        );
    }
}
