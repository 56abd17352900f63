//! WAL checkpoints beside a crawl's writer, not in its way.
//!
//! SQLite copies the write-ahead log back into the database file (a checkpoint) on the
//! connection whose commit filled it, and waits for the disk while it does. On a crawl
//! that was the store's thread, every few seconds: its queue filled, the crawl waited
//! for it, and both cores went idle for a few hundred milliseconds each time (a tenth
//! of a 10,000-page crawl, `benches/crawl/crawl.sh`). So during a crawl the writer's
//! connection does not checkpoint, and a thread with a connection of its own does, in
//! SQLite's `PASSIVE` mode, which never holds up the writer.

use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread::JoinHandle;
use std::time::Duration;

use super::db::{Db, AUTOCHECKPOINT_PAGES};
use super::{Store, StoreError};

/// How often the log is copied back: often enough that it stays a few tens of MB.
pub const CHECKPOINT_EVERY: Duration = Duration::from_millis(500);

/// The checkpointing thread of one store; stopped by [`Store::checkpoint_here`].
pub struct Checkpointer {
    stop: mpsc::Sender<()>,
    thread: JoinHandle<()>,
}

impl Store {
    /// Hands this store's checkpoints to a thread of their own, run every `every`,
    /// until the returned [`Checkpointer`] finishes. `None` for PostgreSQL, which has
    /// no such log to copy.
    pub fn checkpoint_beside(&self, every: Duration) -> Result<Option<Checkpointer>, StoreError> {
        let Some(path) = self.target.path() else {
            return Ok(None);
        };
        let connection = Db::sqlite(path).map_err(|e| self.failed(e))?;
        self.set_autocheckpoint(0)?;
        let (stop, stopped) = mpsc::channel();
        let thread = std::thread::Builder::new()
            .name("checkpoint".into())
            .spawn(move || loop {
                match stopped.recv_timeout(every) {
                    Err(RecvTimeoutError::Timeout) => {
                        if let Err(e) = connection.query("PRAGMA wal_checkpoint(PASSIVE)", &[]) {
                            // The writer's own connection checkpoints again at the end.
                            tracing::warn!("WAL checkpoint failed: {e}");
                        }
                    }
                    Ok(()) | Err(RecvTimeoutError::Disconnected) => return,
                }
            })
            .expect("the checkpoint thread starts");
        Ok(Some(Checkpointer { stop, thread }))
    }

    /// Gives the checkpoints back to this store's connection.
    pub fn checkpoint_here(&self, checkpointer: Option<Checkpointer>) -> Result<(), StoreError> {
        let Some(checkpointer) = checkpointer else {
            return Ok(());
        };
        let _ = checkpointer.stop.send(());
        let _ = checkpointer.thread.join();
        self.set_autocheckpoint(AUTOCHECKPOINT_PAGES)
    }

    fn set_autocheckpoint(&self, pages: i64) -> Result<(), StoreError> {
        self.db
            .batch(&format!("PRAGMA wal_autocheckpoint = {pages}"))
            .map_err(|e| self.failed(e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::db::args;

    /// Commits `n` rows of 4 KB (the log grows; the file only when it is copied back).
    fn write(store: &Store, n: i64) {
        store.db.begin().unwrap();
        for i in 0..n {
            store
                .db
                .execute(
                    "INSERT INTO filler (n, text) VALUES (?1, ?2)",
                    args![i, "x".repeat(4096)],
                )
                .unwrap();
        }
        store.db.commit().unwrap();
    }

    #[test]
    fn the_log_is_copied_back_by_the_thread_not_by_the_writer() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.db");
        let store = Store::open(&path).unwrap();
        store
            .db
            .batch("CREATE TABLE filler (n INTEGER, text TEXT)")
            .unwrap();
        let file_size = || std::fs::metadata(&path).unwrap().len();
        // A writer that would copy its log back every 100 pages (400 KB) by itself...
        store.set_autocheckpoint(100).unwrap();
        // ...and an hour between the thread's checkpoints: none happens while we look.
        let idle = store.checkpoint_beside(Duration::from_secs(3600)).unwrap();
        let before = file_size();
        for _ in 0..4 {
            write(&store, 500);
        }
        assert_eq!(file_size(), before, "the writer checkpointed");
        store.checkpoint_here(idle).unwrap();

        let busy = store.checkpoint_beside(Duration::from_millis(10)).unwrap();
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        while file_size() < before + 8_000_000 && std::time::Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(10));
        }
        assert!(
            file_size() > before + 8_000_000,
            "the thread copied the log back"
        );
        store.checkpoint_here(busy).unwrap();
        // The writer checkpoints on its own again.
        let pages: i64 = store
            .db
            .query_one("PRAGMA wal_autocheckpoint", &[])
            .unwrap()
            .get(0)
            .unwrap();
        assert_eq!(pages, AUTOCHECKPOINT_PAGES);
    }
}
