//! Reading a document where it cannot hurt the crawl: in a child process with a
//! timeout and rlimits (the parent side, [`DocumentReader`]), and the child's side
//! ([`serve_as_reader`], behind the hidden `read-document` subcommand).
//!
//! The protocol is one exchange: the parent writes the document's bytes to the child's
//! stdin and closes it; the child prints one JSON object on stdout, either the
//! [`DocumentText`] (`{"title", "text", "pages"}`, exit status 0) or
//! `{"unreadable": {"kind", "detail"}}` (exit status 1). Anything else (a signal, an
//! abort on a failed allocation, output that is not that JSON) is a crash, described
//! from the exit status and the last line the child wrote on stderr.

use std::io::{Read, Write};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;
use std::process::{ExitStatus, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use serde::{Deserialize, Serialize};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use super::{read, DocumentKind, DocumentText, Unreadable, MAX_INPUT_BYTES, MAX_TEXT_BYTES};

/// The hidden subcommand the child runs.
pub const SUBCOMMAND: &str = "read-document";
/// The most stdout read from a child: the text's JSON, with room for escapes.
const MAX_REPLY_BYTES: u64 = 6 * MAX_TEXT_BYTES as u64 + 64 * 1024;
/// The most stderr kept from a child (for a crash's reason).
const MAX_STDERR_BYTES: u64 = 64 * 1024;

/// Set once this process is the `alliance-audit` binary, whose command line has the
/// `read-document` subcommand.
static BINARY_READS_DOCUMENTS: AtomicBool = AtomicBool::new(false);

/// Says that this process is the `alliance-audit` binary, so that
/// [`DocumentReader::default`] may run `current_exe() read-document`. Called by the
/// command line at start; a test harness never calls it.
pub fn mark_binary_can_read_documents() {
    BINARY_READS_DOCUMENTS.store(true, Ordering::Relaxed);
}

/// Where the reader runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Isolation {
    /// A child process: this program run as `PROGRAM read-document --kind KIND`, killed
    /// at the timeout, with the memory limit as its address-space rlimit.
    Process(PathBuf),
    /// In this process, on a thread of its own, with `catch_unwind` and the timeout. A
    /// runaway thread is abandoned, not stopped, and no memory limit applies: for tests
    /// that call the crawl in-process without naming the binary.
    Thread,
}

/// How documents are read during a crawl: where, for how long, with how much memory.
/// Plain settings; every [`read`](DocumentReader::read) starts afresh.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentReader {
    pub isolation: Isolation,
    /// Wall-clock time for one document, after which the child is killed.
    pub timeout: Duration,
    /// The child's address-space limit (`RLIMIT_AS`), in bytes.
    pub memory_limit: u64,
}

impl Default for DocumentReader {
    /// This binary in a child process when this process is `alliance-audit`
    /// (see [`mark_binary_can_read_documents`]), else [`Isolation::Thread`]; 10 s and 1 GiB.
    fn default() -> Self {
        let isolation = if BINARY_READS_DOCUMENTS.load(Ordering::Relaxed) {
            std::env::current_exe()
                .map(Isolation::Process)
                .unwrap_or(Isolation::Thread)
        } else {
            Isolation::Thread
        };
        DocumentReader {
            isolation,
            timeout: Duration::from_secs(10),
            memory_limit: 1024 * 1024 * 1024,
        }
    }
}

impl DocumentReader {
    /// Reads in a child process running `program read-document`: tests pass
    /// `env!("CARGO_BIN_EXE_alliance-audit")`.
    pub fn with_program(program: impl Into<PathBuf>) -> Self {
        DocumentReader {
            isolation: Isolation::Process(program.into()),
            ..DocumentReader::default()
        }
    }

    /// Reads in-process on a thread (see [`Isolation::Thread`]).
    pub fn in_thread() -> Self {
        DocumentReader {
            isolation: Isolation::Thread,
            ..DocumentReader::default()
        }
    }

    /// Reads one document; every failure, including a panic, a timeout or a crash of
    /// the reader, is an [`Unreadable`] with its reason.
    pub async fn read(
        &self,
        kind: DocumentKind,
        bytes: Vec<u8>,
    ) -> Result<DocumentText, Unreadable> {
        if bytes.len() > MAX_INPUT_BYTES {
            return Err(Unreadable::TooLarge {
                bytes: bytes.len(),
                limit: MAX_INPUT_BYTES,
            });
        }
        match &self.isolation {
            Isolation::Process(program) => self.read_in_child(program, kind, bytes).await,
            Isolation::Thread => self.read_in_thread(kind, bytes).await,
        }
    }

    async fn read_in_thread(
        &self,
        kind: DocumentKind,
        bytes: Vec<u8>,
    ) -> Result<DocumentText, Unreadable> {
        on_thread(self.timeout, move || read(kind, &bytes)).await
    }

    async fn read_in_child(
        &self,
        program: &PathBuf,
        kind: DocumentKind,
        bytes: Vec<u8>,
    ) -> Result<DocumentText, Unreadable> {
        let mut command = tokio::process::Command::new(program);
        command
            .args([SUBCOMMAND, "--kind", kind.as_str()])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true);
        #[cfg(unix)]
        {
            let memory = self.memory_limit;
            let cpu_seconds = self.timeout.as_secs() + 2;
            // SAFETY: the closure runs in the forked child before exec and only calls
            // setrlimit, which is async-signal-safe; it allocates nothing.
            unsafe {
                command.pre_exec(move || limit_child(memory, cpu_seconds));
            }
        }
        let mut child = command.spawn().map_err(|error| {
            Unreadable::Crashed(format!("could not start {}: {error}", program.display()))
        })?;
        let (Some(mut stdin), Some(stdout), Some(stderr)) =
            (child.stdin.take(), child.stdout.take(), child.stderr.take())
        else {
            return Err(Unreadable::Crashed(
                "the reader's pipes were not set up".into(),
            ));
        };
        let exchange = async {
            let write = async {
                // A child that dies early closes its end: its status says why.
                let _ = stdin.write_all(&bytes).await;
                drop(stdin);
            };
            let read_out = async {
                let mut out = Vec::new();
                let _ = stdout.take(MAX_REPLY_BYTES).read_to_end(&mut out).await;
                out
            };
            let read_err = async {
                let mut err = Vec::new();
                let _ = stderr.take(MAX_STDERR_BYTES).read_to_end(&mut err).await;
                err
            };
            let ((), out, err) = tokio::join!(write, read_out, read_err);
            let status = child.wait().await;
            (out, err, status)
        };
        let finished = tokio::time::timeout(self.timeout, exchange).await;
        let (out, err, status) = match finished {
            Ok(finished) => finished,
            Err(_) => {
                // `exchange` held `child` by reference and is gone; kill and reap.
                let _ = child.start_kill();
                let _ = child.wait().await;
                return Err(timed_out(self.timeout));
            }
        };
        let status =
            status.map_err(|error| Unreadable::Crashed(format!("lost the reader: {error}")))?;
        interpret(status, &out, &err, self.memory_limit)
    }
}

/// Runs `work` on a thread of its own, a panic caught; after `timeout` the thread is
/// abandoned (it cannot be stopped) and the answer is [`Unreadable::TimedOut`].
async fn on_thread<F>(timeout: Duration, work: F) -> Result<DocumentText, Unreadable>
where
    F: FnOnce() -> Result<DocumentText, Unreadable> + Send + 'static,
{
    let (sender, receiver) = tokio::sync::oneshot::channel();
    let spawned = std::thread::Builder::new()
        .name("document-reader".into())
        .spawn(move || {
            let result = catch_unwind(AssertUnwindSafe(work))
                .unwrap_or_else(|panic| Err(Unreadable::Crashed(panic_reason(&*panic))));
            let _ = sender.send(result);
        });
    if let Err(error) = spawned {
        return Err(Unreadable::Crashed(format!(
            "could not start a thread: {error}"
        )));
    }
    match tokio::time::timeout(timeout, receiver).await {
        Ok(Ok(result)) => result,
        Ok(Err(_)) => Err(Unreadable::Crashed("the reader thread died".into())),
        Err(_) => Err(timed_out(timeout)),
    }
}

fn timed_out(timeout: Duration) -> Unreadable {
    Unreadable::TimedOut {
        seconds: timeout.as_secs() + u64::from(timeout.subsec_nanos() > 0),
    }
}

/// The child's answer, from its exit status, stdout and stderr.
fn interpret(
    status: ExitStatus,
    out: &[u8],
    err: &[u8],
    memory_limit: u64,
) -> Result<DocumentText, Unreadable> {
    match (status.code(), serde_json::from_slice::<Reply>(out)) {
        (Some(0), Ok(Reply::Read(text))) => Ok(text),
        (Some(1), Ok(Reply::Unreadable { unreadable })) => Err(unreadable),
        _ => Err(Unreadable::Crashed(crash_reason(status, err, memory_limit))),
    }
}

fn crash_reason(status: ExitStatus, err: &[u8], memory_limit: u64) -> String {
    let stderr = String::from_utf8_lossy(err);
    let last_line = stderr
        .lines()
        .rev()
        .find(|line| !line.trim().is_empty())
        .unwrap_or("");
    if stderr.contains("memory allocation of") {
        return format!("out of memory (limit {} MiB)", memory_limit / (1024 * 1024));
    }
    if stderr.contains("has overflowed its stack") {
        return "stack overflow".into();
    }
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(signal) = status.signal() {
            let name = match signal {
                libc::SIGXCPU => "CPU time limit exceeded (SIGXCPU)".to_string(),
                libc::SIGKILL => "killed (SIGKILL)".to_string(),
                libc::SIGSEGV => "segmentation fault (SIGSEGV)".to_string(),
                libc::SIGABRT => "aborted (SIGABRT)".to_string(),
                other => format!("killed by signal {other}"),
            };
            return if last_line.is_empty() {
                name
            } else {
                format!("{name}: {last_line}")
            };
        }
    }
    if let Some(panic) = stderr
        .lines()
        .position(|line| line.contains("panicked at"))
        .and_then(|at| stderr.lines().nth(at + 1))
    {
        return format!("panic: {}", panic.trim());
    }
    match (status.code(), last_line) {
        (Some(code), "") => format!("exit status {code}, no answer"),
        (Some(code), line) => format!("exit status {code}: {line}"),
        (None, line) => format!("ended without a status: {line}"),
    }
}

#[cfg(all(target_os = "linux", target_env = "gnu"))]
type Resource = libc::__rlimit_resource_t;
#[cfg(all(unix, not(all(target_os = "linux", target_env = "gnu"))))]
type Resource = libc::c_int;

#[cfg(unix)]
fn limit_child(memory: u64, cpu_seconds: u64) -> std::io::Result<()> {
    fn set(resource: Resource, soft: u64, hard: u64) -> std::io::Result<()> {
        let limit = libc::rlimit {
            rlim_cur: soft as libc::rlim_t,
            rlim_max: hard as libc::rlim_t,
        };
        // SAFETY: a plain system call with a valid pointer to a local.
        if unsafe { libc::setrlimit(resource, &limit) } == 0 {
            Ok(())
        } else {
            Err(std::io::Error::last_os_error())
        }
    }
    set(libc::RLIMIT_AS, memory, memory)?;
    set(libc::RLIMIT_CPU, cpu_seconds, cpu_seconds + 1)?;
    // A crash must not leave a core file the size of the limit in the working directory.
    set(libc::RLIMIT_CORE, 0, 0)
}

/// What the child prints.
#[derive(Debug, Serialize, Deserialize)]
#[serde(untagged)]
enum Reply {
    Unreadable { unreadable: Unreadable },
    Read(DocumentText),
}

/// The child's side: reads the document on `input` (at most [`MAX_INPUT_BYTES`]),
/// prints the reply on `output`, and says whether the document was read (the exit
/// status: 0 read, 1 unreadable). A panic in the reader is caught and answered as
/// `crashed`; what cannot be caught (an abort, a signal) the parent reads from the
/// exit status.
pub fn serve_as_reader(
    kind: DocumentKind,
    input: impl Read,
    output: impl Write,
) -> std::io::Result<bool> {
    serve_with(|bytes| read(kind, bytes), input, output)
}

fn serve_with(
    reader: impl FnOnce(&[u8]) -> Result<DocumentText, Unreadable>,
    input: impl Read,
    mut output: impl Write,
) -> std::io::Result<bool> {
    let mut bytes = Vec::new();
    let received = input
        .take(MAX_INPUT_BYTES as u64 + 1)
        .read_to_end(&mut bytes);
    let result = if let Err(error) = received {
        // Under the address-space limit, even holding the input may fail.
        if error.kind() != std::io::ErrorKind::OutOfMemory {
            return Err(error);
        }
        Err(Unreadable::Crashed(
            "out of memory reading the document".into(),
        ))
    } else if bytes.len() > MAX_INPUT_BYTES {
        Err(Unreadable::TooLarge {
            bytes: bytes.len(),
            limit: MAX_INPUT_BYTES,
        })
    } else {
        catch_unwind(AssertUnwindSafe(|| reader(&bytes)))
            .unwrap_or_else(|panic| Err(Unreadable::Crashed(panic_reason(&*panic))))
    };
    let read = result.is_ok();
    let reply = match result {
        Ok(text) => Reply::Read(text),
        Err(unreadable) => Reply::Unreadable { unreadable },
    };
    serde_json::to_writer(&mut output, &reply)?;
    output.write_all(b"\n")?;
    output.flush()?;
    Ok(read)
}

fn panic_reason(panic: &(dyn std::any::Any + Send)) -> String {
    let message = panic
        .downcast_ref::<&str>()
        .map(|message| message.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown".into());
    format!("panic: {message}")
}

#[cfg(test)]
mod tests;
