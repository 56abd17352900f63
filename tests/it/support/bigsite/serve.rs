//! Serves a generated site from its folder, as a CMS would answer:
//! - `/dir/` is `dir/index.html`; `/dir` (a folder) answers too;
//! - a folder URL with a query string is the file the generator wrote for that query
//!   (`/events/?month=2019-03` is `events/__query/month=2019-03.html`), and when there is
//!   none, the page without the query (a CMS ignores parameters it does not know, so
//!   `?ical=1` or `?share=email` give the same page again);
//! - Content-Type from the extension (`.pdf`, `.xml`, `.gz` as a server sends them);
//! - anything else is a 404 page.
//!
//! An axum `Router`: wrap it in `support::TestServer::start` to log requests.

use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use axum::extract::State;
use axum::http::{header, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::Router;

/// The folder where a URL's query variants live, inside the URL path's folder.
pub const QUERY_DIR: &str = "__query";

/// A router serving `root` (see the module docs).
pub fn router(root: PathBuf) -> Router {
    Router::new().fallback(serve).with_state(Arc::new(root))
}

async fn serve(State(root): State<Arc<PathBuf>>, uri: Uri) -> Response {
    match resolve(&root, uri.path(), uri.query()) {
        Some(file) => match tokio::fs::read(&file).await {
            Ok(body) => ([(header::CONTENT_TYPE, content_type(&file))], body).into_response(),
            Err(_) => not_found(),
        },
        None => not_found(),
    }
}

fn not_found() -> Response {
    (
        StatusCode::NOT_FOUND,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        "<!doctype html><title>Page not found</title><h1>Page not found</h1>\n",
    )
        .into_response()
}

/// The file for a request path and query, never outside `root`.
pub fn resolve(root: &Path, path: &str, query: Option<&str>) -> Option<PathBuf> {
    let decoded = percent_encoding::percent_decode_str(path)
        .decode_utf8()
        .ok()?;
    let relative = Path::new(decoded.trim_start_matches('/'));
    if relative
        .components()
        .any(|c| !matches!(c, Component::Normal(_)))
    {
        return None;
    }
    let file = root.join(relative);
    let folder = decoded.ends_with('/') || file.is_dir();
    if let Some(query) = query.filter(|q| !q.is_empty() && folder) {
        let variant = file.join(QUERY_DIR).join(query_file_name(query));
        if variant.is_file() {
            return Some(variant);
        }
    }
    let file = if folder {
        file.join("index.html")
    } else {
        file
    };
    file.is_file().then_some(file)
}

/// The file name the generator writes a query variant under.
pub fn query_file_name(query: &str) -> String {
    format!("{}.html", query.replace('/', "%2F"))
}

fn content_type(file: &Path) -> &'static str {
    let name = file.file_name().and_then(|n| n.to_str()).unwrap_or("");
    match name.rsplit('.').next().unwrap_or("") {
        "html" => "text/html; charset=UTF-8",
        "xml" => "application/xml; charset=UTF-8",
        "gz" => "application/x-gzip",
        "pdf" => "application/pdf",
        "txt" => "text/plain; charset=UTF-8",
        _ => "application/octet-stream",
    }
}
