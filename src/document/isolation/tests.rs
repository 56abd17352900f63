//! The reader's isolation: a child's answers, a thread's panics and runaways.

use std::sync::Arc;

use super::*;

fn text(text: &str) -> DocumentText {
    DocumentText {
        title: None,
        text: text.into(),
        pages: 1,
    }
}

#[tokio::test]
async fn a_panic_on_the_reader_thread_is_a_reason() {
    let result = on_thread(Duration::from_secs(5), || panic!("index out of bounds")).await;
    assert_eq!(
        result,
        Err(Unreadable::Crashed("panic: index out of bounds".into()))
    );
}

/// The paused clock runs the timeout out while the thread is still busy.
#[tokio::test(start_paused = true)]
async fn a_runaway_reader_thread_is_abandoned_at_the_timeout() {
    let stop = Arc::new(AtomicBool::new(false));
    let stop_thread = Arc::clone(&stop);
    let result = on_thread(Duration::from_secs(10), move || {
        while !stop_thread.load(Ordering::Relaxed) {
            std::thread::sleep(Duration::from_millis(5));
        }
        Ok(text("late"))
    })
    .await;
    stop.store(true, Ordering::Relaxed);
    assert_eq!(result, Err(Unreadable::TimedOut { seconds: 10 }));
}

/// The crawl spawns reads as tasks.
#[test]
fn a_read_can_be_spawned() {
    fn spawnable<T: Send + 'static>(_: T) {}
    let reader = DocumentReader::in_thread();
    spawnable(async move { reader.read(DocumentKind::Pdf, Vec::new()).await });
}

#[test]
fn the_child_answers_a_panic_as_json() {
    let mut out = Vec::new();
    let read = serve_with(|_| panic!("boom"), &b"%PDF-"[..], &mut out).unwrap();
    assert!(!read);
    let reply: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(
        reply,
        serde_json::json!({"unreadable": {"kind": "crashed", "detail": "panic: boom"}})
    );
}

#[test]
fn the_child_refuses_input_over_the_cap_without_reading_it() {
    let input = std::io::repeat(b'x').take(MAX_INPUT_BYTES as u64 + 10);
    let mut out = Vec::new();
    let read = serve_with(|_| unreachable!(), input, &mut out).unwrap();
    assert!(!read);
    assert!(String::from_utf8(out).unwrap().contains("too_large"));
}

#[cfg(unix)]
#[test]
fn exit_statuses_and_replies_are_interpreted() {
    use std::os::unix::process::ExitStatusExt;
    let exited = |code: i32| ExitStatus::from_raw(code << 8);
    let ok = serde_json::to_vec(&Reply::Read(text("a"))).unwrap();
    assert_eq!(interpret(exited(0), &ok, b"", 1), Ok(text("a")));
    // A document's JSON with a failing status is not believed.
    assert!(matches!(
        interpret(exited(1), &ok, b"", 1),
        Err(Unreadable::Crashed(_))
    ));
    let encrypted = br#"{"unreadable":{"kind":"encrypted"}}"#;
    assert_eq!(
        interpret(exited(1), encrypted, b"", 1),
        Err(Unreadable::Encrypted)
    );
    let oom = b"memory allocation of 1048576 bytes failed\n";
    assert_eq!(
        interpret(
            ExitStatus::from_raw(libc::SIGABRT),
            b"",
            oom,
            512 * 1024 * 1024
        ),
        Err(Unreadable::Crashed("out of memory (limit 512 MiB)".into()))
    );
    assert_eq!(
        interpret(ExitStatus::from_raw(libc::SIGXCPU), b"", b"", 1),
        Err(Unreadable::Crashed(
            "CPU time limit exceeded (SIGXCPU)".into()
        ))
    );
}
