//! A loopback HTTP server for integration tests, counting every request it serves.
//!
//! ```ignore
//! mod support;
//! use support::TestServer;
//!
//! let server = TestServer::start(axum::Router::new().route("/", get(|| async { "hi" }))).await;
//! let url = server.url("/");            // http://127.0.0.1:PORT/
//! // ... crawl ...
//! assert_eq!(server.hits("/private"), 0); // never requested
//! ```
//!
//! Each test starts its own server on `127.0.0.1:0` (a free port), so tests run in
//! parallel without sharing anything. The server lives until the test's runtime ends.
#![allow(dead_code)] // each area uses a different part of it

pub mod bigsite;
pub mod office;
pub mod pdf;
pub mod postgres;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::extract::{Request, State};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::Router;
use tokio::time::Instant;
use url::Url;

/// One request the server received.
#[derive(Debug, Clone)]
pub struct Hit {
    /// Path and query, as requested (`/a?b=1`).
    pub target: String,
    pub at: Instant,
    pub user_agent: Option<String>,
}

/// A running loopback server and the log of requests it served.
#[derive(Debug, Clone)]
pub struct TestServer {
    pub addr: SocketAddr,
    log: Arc<Mutex<Vec<Hit>>>,
}

impl TestServer {
    /// Serves `router` on 127.0.0.1 (a free port), logging each request.
    pub async fn start(router: Router) -> TestServer {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind loopback");
        let addr = listener.local_addr().expect("local address");
        let log = Arc::new(Mutex::new(Vec::new()));
        let app = router.layer(middleware::from_fn_with_state(log.clone(), record_hit));
        tokio::spawn(async move {
            axum::serve(listener, app).await.expect("test server");
        });
        TestServer { addr, log }
    }

    /// `http://127.0.0.1:PORT` + `path_and_query`.
    pub fn url(&self, path_and_query: &str) -> Url {
        Url::parse(&format!("http://{}{}", self.addr, path_and_query)).expect("test URL")
    }

    /// The same server under another host name or address (e.g. `localhost`,
    /// `127.0.0.2`): requests to it reach this server too.
    pub fn url_via(&self, host: &str, path_and_query: &str) -> Url {
        let port = self.addr.port();
        Url::parse(&format!("http://{host}:{port}{path_and_query}")).expect("test URL")
    }

    /// Requests for `path` (any query string).
    pub fn hits(&self, path: &str) -> usize {
        self.log()
            .iter()
            .filter(|hit| hit.target.split('?').next() == Some(path))
            .count()
    }

    /// Requests for exactly `target` (path and query).
    pub fn hits_exact(&self, target: &str) -> usize {
        self.log().iter().filter(|hit| hit.target == target).count()
    }

    /// Every request so far, in arrival order.
    pub fn log(&self) -> Vec<Hit> {
        self.log.lock().expect("hit log").clone()
    }

    /// Total requests so far.
    pub fn total_hits(&self) -> usize {
        self.log.lock().expect("hit log").len()
    }
}

async fn record_hit(
    State(log): State<Arc<Mutex<Vec<Hit>>>>,
    request: Request,
    next: Next,
) -> Response {
    let target = request
        .uri()
        .path_and_query()
        .map(|target| target.as_str().to_string())
        .unwrap_or_else(|| request.uri().path().to_string());
    let user_agent = request
        .headers()
        .get("user-agent")
        .and_then(|value| value.to_str().ok())
        .map(str::to_string);
    log.lock().expect("hit log").push(Hit {
        target,
        at: Instant::now(),
        user_agent,
    });
    next.run(request).await
}

/// The rows of a CSV report as maps from column name to cell, in file order.
pub fn csv_records(path: &std::path::Path) -> Vec<std::collections::BTreeMap<String, String>> {
    let mut reader = csv::Reader::from_path(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    reader
        .records()
        .map(|r| {
            header
                .iter()
                .cloned()
                .zip(r.unwrap().iter().map(String::from))
                .collect()
        })
        .collect()
}
