//! `alliance-audit read-document` (hidden): the child side of reading a document in
//! isolation. The crawl runs it with the document's bytes on stdin; it prints one JSON
//! object on stdout (see [`crate::document`]). Usable by hand:
//! `alliance-audit read-document < report.pdf` (`--kind docx` or `--kind odt` for those).

use super::{CliError, Exit};
use crate::document::{serve_as_reader, DocumentKind};

#[derive(Debug, Clone, Copy, Default, clap::ValueEnum)]
enum Kind {
    #[default]
    Pdf,
    Docx,
    Odt,
}

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The kind of document on stdin.
    #[arg(long, value_enum, default_value_t)]
    kind: Kind,
}

pub fn run(args: Args) -> Result<(), CliError> {
    let kind = match args.kind {
        Kind::Pdf => DocumentKind::Pdf,
        Kind::Docx => DocumentKind::Docx,
        Kind::Odt => DocumentKind::Odt,
    };
    let read = serve_as_reader(kind, std::io::stdin().lock(), std::io::stdout().lock())
        .map_err(|error| CliError::failure(format!("read-document: {error}")))?;
    if read {
        Ok(())
    } else {
        // The reason is in the JSON on stdout; the status tells scripts (and the
        // crawl) that the document was not read.
        Err(CliError {
            exit: Exit::Failure,
            message: "the document could not be read (reason on stdout)".into(),
        })
    }
}
