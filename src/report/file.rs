//! Atomic report files: rows stream into a hidden temp file in the run directory, which
//! is renamed into place only once complete.
//!
//! A reader (a person with a spreadsheet open, a script polling the directory) therefore
//! sees either no `pages.csv` or a whole one, never half. The temp file sits in the same
//! directory so the rename cannot cross file systems. Each file is atomic on its own;
//! `run.json` is written last and marks the run directory as complete.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use serde::Serialize;

/// A file being written as `.NAME.tmp`, renamed to `NAME` by [`PendingFile::commit`].
/// Dropped without commit, it leaves only the temp file behind.
pub(crate) struct PendingFile {
    tmp: PathBuf,
    dest: PathBuf,
    out: BufWriter<File>,
}

impl PendingFile {
    pub(crate) fn create(dir: &Path, name: &str) -> io::Result<Self> {
        let tmp = dir.join(format!(".{name}.tmp"));
        let out = BufWriter::new(File::create(&tmp)?);
        Ok(PendingFile {
            tmp,
            dest: dir.join(name),
            out,
        })
    }

    /// Flush, sync and rename into place.
    pub(crate) fn commit(self) -> io::Result<()> {
        let file = self.out.into_inner().map_err(|e| e.into_error())?;
        file.sync_all()?;
        drop(file);
        std::fs::rename(&self.tmp, &self.dest)
    }
}

impl Write for PendingFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.out.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

/// A CSV row type: serialises its columns in header order and neutralises its own
/// string cells (see [`super::cell`]).
pub(crate) trait CsvRow: Serialize {
    const HEADER: &'static [&'static str];
    fn neutralise(&mut self);
}

/// One report as a CSV file and a JSON Lines file, written side by side.
pub(crate) struct Table {
    csv: csv::Writer<PendingFile>,
    jsonl: PendingFile,
}

impl Table {
    /// Create `NAME.csv` and `NAME.jsonl` (as temp files), the CSV header written at once.
    pub(crate) fn create<R: CsvRow>(dir: &Path, name: &str) -> io::Result<Self> {
        let csv_file = PendingFile::create(dir, &format!("{name}.csv"))?;
        let mut csv = csv::WriterBuilder::new()
            .has_headers(false)
            .from_writer(csv_file);
        csv.write_record(R::HEADER)?;
        let jsonl = PendingFile::create(dir, &format!("{name}.jsonl"))?;
        Ok(Table { csv, jsonl })
    }

    /// One row: as it stands to JSON Lines, neutralised to CSV.
    pub(crate) fn write<R: CsvRow>(&mut self, row: R) -> io::Result<()> {
        self.write_with(row, &())
    }

    /// One row, with `extra` fields that only the JSON Lines file carries.
    pub(crate) fn write_with<R: CsvRow, E: Serialize>(
        &mut self,
        mut row: R,
        extra: &E,
    ) -> io::Result<()> {
        #[derive(Serialize)]
        struct Line<'a, R, E> {
            #[serde(flatten)]
            row: &'a R,
            #[serde(flatten)]
            extra: &'a E,
        }
        serde_json::to_writer(&mut self.jsonl, &Line { row: &row, extra })?;
        self.jsonl.write_all(b"\n")?;
        row.neutralise();
        self.csv.serialize(row)?;
        Ok(())
    }

    pub(crate) fn commit(self) -> io::Result<()> {
        let csv = self.csv.into_inner().map_err(|e| e.into_error())?;
        csv.commit()?;
        self.jsonl.commit()
    }
}

/// Write `value` as pretty JSON to `dir/name`, atomically.
pub(crate) fn write_json<T: Serialize>(dir: &Path, name: &str, value: &T) -> io::Result<()> {
    let mut file = PendingFile::create(dir, name)?;
    serde_json::to_writer_pretty(&mut file, value)?;
    file.write_all(b"\n")?;
    file.commit()
}
