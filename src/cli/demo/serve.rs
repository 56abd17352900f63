//! The demo's static server on 127.0.0.1: a folder of saved pages (`/about/` and
//! `/about` are `about/index.html`) on tower-http's `ServeDir`, so the whole pipeline
//! runs with no network. Around it, what the crawl has always been served: the content
//! types below (charset only where the file's bytes say nothing), no validators (a
//! second demo run on the same database fetches everything again), `GET` and `HEAD`
//! only, and a small HTML 404. `ServeDir` keeps every request inside the root.

use std::io;
use std::net::SocketAddr;
use std::path::{Component, Path, PathBuf};

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode, Uri};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::Router;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;
use tower_http::services::ServeDir;

/// A running server; it stops when dropped.
pub struct StaticServer {
    addr: SocketAddr,
    task: JoinHandle<()>,
}

impl StaticServer {
    /// Serves `root` on a free port of 127.0.0.1.
    pub async fn start(root: PathBuf) -> io::Result<StaticServer> {
        let listener = TcpListener::bind(("127.0.0.1", 0)).await?;
        let addr = listener.local_addr()?;
        let app = router(root);
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Ok(StaticServer { addr, task })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT/`
    pub fn url(&self) -> String {
        format!("http://{}/", self.addr)
    }
}

impl Drop for StaticServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

fn router(root: PathBuf) -> Router {
    let files = ServeDir::new(&root)
        .append_index_html_on_directories(true)
        .not_found_service(axum::handler::HandlerWithoutStateExt::into_service(
            not_found,
        ));
    Router::new()
        .fallback_service(files)
        .layer(middleware::from_fn_with_state(root, as_served))
}

async fn not_found() -> Response {
    (
        StatusCode::NOT_FOUND,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        "<h1>Not found</h1>\n",
    )
        .into_response()
}

/// The file a request path names under `root`, when it names one safely.
fn relative_path(uri_path: &str) -> Option<PathBuf> {
    let decoded = percent_encoding::percent_decode_str(uri_path)
        .decode_utf8()
        .ok()?;
    let relative = PathBuf::from(decoded.trim_start_matches('/'));
    let normal = relative
        .components()
        .all(|c| matches!(c, Component::Normal(_)));
    normal.then_some(relative)
}

/// Serves a folder without a trailing slash as its index (no redirect), and gives
/// each file the content type of its extension.
async fn as_served(State(root): State<PathBuf>, mut request: Request, next: Next) -> Response {
    if request.method() != Method::GET && request.method() != Method::HEAD {
        return (
            StatusCode::METHOD_NOT_ALLOWED,
            [(header::CONTENT_TYPE, "text/plain")],
            "GET only\n",
        )
            .into_response();
    }
    let path = request.uri().path().to_string();
    let Some(relative) = relative_path(&path) else {
        return not_found().await;
    };
    let mut file = root.join(&relative);
    if path.ends_with('/') || file.is_dir() {
        file.push("index.html");
        if !path.ends_with('/') {
            // `ServeDir` would redirect `/about` to `/about/`; the crawl was always
            // served the index at the URL it asked for.
            let query = request
                .uri()
                .query()
                .map(|q| format!("?{q}"))
                .unwrap_or_default();
            if let Ok(uri) = format!("{path}/{query}").parse::<Uri>() {
                *request.uri_mut() = uri;
            }
        }
    }
    let mut response = next.run(request).await;
    if response.status() == StatusCode::OK {
        let headers = response.headers_mut();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static(content_type(&file)),
        );
        headers.remove(header::LAST_MODIFIED);
        headers.remove(header::ACCEPT_RANGES);
    }
    response
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" | "htm" => "text/html",
        "xml" => "application/xml",
        "txt" => "text/plain; charset=utf-8",
        "gz" => "application/gzip",
        "pdf" => "application/pdf",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "css" => "text/css",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_relative_paths_name_files() {
        assert_eq!(relative_path("/a/b.html"), Some(PathBuf::from("a/b.html")));
        assert_eq!(relative_path("/../Cargo.toml"), None);
        assert_eq!(relative_path("/src/%2e%2e/Cargo.toml"), None);
        assert_eq!(relative_path("/%ff"), None);
    }
}
