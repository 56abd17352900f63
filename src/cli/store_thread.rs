//! The run database written on a thread of its own, beside the report writer: the
//! crawl's events reach it through a bounded channel (a slow database slows the crawl
//! down instead of growing memory), and it commits in batches as before (every
//! [`BATCH_EVENTS`](crate::store::BATCH_EVENTS) events, or when a batch has waited
//! [`BATCH_INTERVAL`]). Measured before: the store was a quarter of a crawl's CPU,
//! spent on the thread that also writes the reports. The database's WAL checkpoints
//! run on a thread of their own meanwhile (`store::checkpoint`).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError, SyncSender};
use std::sync::Arc;
use std::thread::JoinHandle;

use crate::crawl::CrawlEvent;
use crate::store::{StoreError, StoreWriter, BATCH_INTERVAL, CHECKPOINT_EVERY};

/// Events waiting for the store at most. A page's event holds its links, headings
/// and evidence (tens of KB), and a longer queue does not make a slower store faster:
/// it only holds more pages in memory. This still covers a batch (`BATCH_EVENTS`).
const QUEUE: usize = 128;

enum Message {
    Event(Arc<CrawlEvent>),
    /// An event a resumed run may send twice (see [`StoreWriter::is_repeat`]): written
    /// unless it is a repeat, and whether it was one answered. Few per crawl (one per
    /// alliance and host), so waiting for the answer costs nothing.
    Checked(Arc<CrawlEvent>, mpsc::Sender<bool>),
    /// The crawl was asked to stop: alliances finishing from now on were stopped.
    Stopping,
}

pub(super) struct StoreThread {
    messages: SyncSender<Message>,
    failed: Arc<AtomicBool>,
    thread: JoinHandle<(StoreWriter, Option<StoreError>)>,
}

impl StoreThread {
    pub fn spawn(mut writer: StoreWriter) -> StoreThread {
        let (messages, incoming) = mpsc::sync_channel(QUEUE);
        let failed = Arc::new(AtomicBool::new(false));
        let flag = failed.clone();
        // As `std::thread::spawn`, a thread the system cannot start is a panic.
        let thread = std::thread::Builder::new()
            .name("store".into())
            .spawn(move || {
                let mut error = None;
                let checkpointer = writer
                    .store()
                    .checkpoint_beside(CHECKPOINT_EVERY)
                    .unwrap_or_else(|e| {
                        tracing::warn!("checkpoints stay on the writer's thread: {e}");
                        None
                    });
                loop {
                    let written = match incoming.recv_timeout(BATCH_INTERVAL) {
                        Ok(Message::Event(event)) if error.is_none() => writer.handle(&event),
                        Err(RecvTimeoutError::Timeout) if error.is_none() => writer.tick(),
                        // After an error: nothing more is written.
                        Ok(Message::Event(_)) | Err(RecvTimeoutError::Timeout) => Ok(()),
                        Ok(Message::Checked(event, answer)) => {
                            let repeat = writer.is_repeat(&event);
                            let _ = answer.send(repeat);
                            if repeat || error.is_some() {
                                Ok(())
                            } else {
                                writer.handle(&event)
                            }
                        }
                        Ok(Message::Stopping) => {
                            writer.stopping();
                            Ok(())
                        }
                        Err(RecvTimeoutError::Disconnected) => break,
                    };
                    if let Err(e) = written {
                        // Stops writing; the events still drain, so the crawl is not
                        // blocked while it is told to stop.
                        tracing::error!("the run database failed: {e}");
                        flag.store(true, Ordering::Release);
                        error = Some(e);
                    }
                }
                if let Err(e) = writer.store().checkpoint_here(checkpointer) {
                    error.get_or_insert(e);
                }
                (writer, error)
            })
            .expect("the store's thread starts");
        StoreThread {
            messages,
            failed,
            thread,
        }
    }

    /// Queues `event` for the store (waiting while the queue is full).
    pub fn send(&self, event: Arc<CrawlEvent>) {
        // Only fails when the thread is gone, which `finish` reports.
        let _ = self.messages.send(Message::Event(event));
    }

    /// Queues `event` if it is no repeat of one recorded before (see
    /// [`StoreWriter::is_repeat`]); true when it is one.
    pub fn send_unless_repeat(&self, event: Arc<CrawlEvent>) -> bool {
        let (answer, answered) = mpsc::channel();
        if self.messages.send(Message::Checked(event, answer)).is_err() {
            return false;
        }
        answered.recv().unwrap_or(false)
    }

    pub fn stopping(&self) {
        let _ = self.messages.send(Message::Stopping);
    }

    /// The store failed (after which it writes nothing more).
    pub fn failed(&self) -> bool {
        self.failed.load(Ordering::Acquire)
    }

    /// Waits for every queued event to be written; the writer back, or the first error.
    pub fn finish(self) -> Result<StoreWriter, StoreError> {
        drop(self.messages);
        match self.thread.join() {
            Ok((writer, None)) => Ok(writer),
            Ok((_, Some(error))) => Err(error),
            Err(panic) => std::panic::resume_unwind(panic),
        }
    }
}
