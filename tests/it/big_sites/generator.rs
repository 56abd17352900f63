//! The generator itself: shapes, determinism, serving. No crawl.

use super::*;

#[test]
fn the_generator_is_deterministic() {
    let fingerprint = |scenario| {
        let dir = tempfile::tempdir().unwrap();
        bigsite::generate(scenario, dir.path(), "http://127.0.0.1:9").unwrap();
        let mut files = BTreeMap::new();
        let mut stack = vec![dir.path().to_path_buf()];
        while let Some(folder) = stack.pop() {
            for entry in std::fs::read_dir(folder).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                } else {
                    let bytes = std::fs::read(&path).unwrap();
                    let name = path.strip_prefix(dir.path()).unwrap().to_path_buf();
                    files.insert(name, bytes);
                }
            }
        }
        files
    };
    let scenario = Scenario::SitemapOnly;
    assert!(fingerprint(scenario) == fingerprint(scenario));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_server_answers_as_a_cms_does() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(bigsite::serve(dir.path().to_path_buf())).await;
    let base = format!("http://{}", server.addr);
    let info = bigsite::generate(Scenario::PdfFlate, dir.path(), &base).unwrap();
    let addr = server.addr;
    let get = |path: String| async move {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
        let request = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
        stream.write_all(request.as_bytes()).await.unwrap();
        let mut response = Vec::new();
        stream.read_to_end(&mut response).await.unwrap();
        let split = response.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
        let head = String::from_utf8_lossy(&response[..split]).to_lowercase();
        let status: u16 = head[9..12].parse().unwrap();
        let kind = head
            .lines()
            .find_map(|l| l.strip_prefix("content-type: "))
            .unwrap_or("")
            .to_string();
        (status, kind, response[split + 4..].to_vec())
    };
    let (status, kind, body) = get("/events/?month=2019-03".into()).await;
    assert_eq!((status, kind.as_str()), (200, "text/html; charset=utf-8"));
    assert!(String::from_utf8_lossy(&body).contains("Events: March 2019"));
    // A query the site does not know gives the page without it.
    let (status, _, body) = get("/events/?month=1970-01".into()).await;
    assert_eq!(status, 200);
    assert!(String::from_utf8_lossy(&body).contains("Events: November 2026"));
    let (status, kind, body) = get(info.evidence.unwrap().path).await;
    assert_eq!((status, kind.as_str()), (200, "application/pdf"));
    assert!(body.starts_with(b"%PDF-1.4"));
    let (status, kind, body) = get("/wp-sitemap.xml".into()).await;
    assert_eq!(
        (status, kind.as_str()),
        (200, "application/xml; charset=utf-8")
    );
    assert!(String::from_utf8_lossy(&body).contains("wp-sitemap-posts-post-1.xml"));
    let (status, _, _) = get("/no/such/page/".into()).await;
    assert_eq!(status, 404);
    let (status, _, body) = get("/robots.txt".into()).await;
    assert_eq!(status, 200);
    assert!(String::from_utf8_lossy(&body).contains("Sitemap: http://127.0.0.1:"));
}
