//! `alliance-audit extract`: one saved page through extraction and detection.

use std::fmt::Write as _;
use std::path::PathBuf;

use serde::Serialize;
use url::Url;

use super::{load_topics, CliError};
use crate::detect::{detect, Detection, Evidence, Verdict};
use crate::extract::{extract, Heading, Menu, MenuKind, Page};

#[derive(Debug, Clone, Copy, Default, clap::ValueEnum)]
enum Format {
    #[default]
    Json,
    Text,
}

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The saved HTML page (any encoding: BOM, <meta charset> or detection decide), or
    /// a WARC archive (`.warc.gz`, `.warc`) with --url naming the page in it.
    page: PathBuf,
    /// The page's address: relative links resolve against it, and its path is
    /// searched as the `url` location. With a WARC archive, the response to read.
    #[arg(long, value_name = "URL")]
    url: Option<Url>,
    /// The topics file (default: the bundled config/topics.toml).
    #[arg(long, value_name = "PATH")]
    topics: Option<PathBuf>,
    /// The HTTP Content-Type the page was served with, if known (its charset wins
    /// over <meta>).
    #[arg(long, value_name = "TYPE")]
    content_type: Option<String>,
    /// `json` for machines, `text` for a short human summary.
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

/// The JSON document `extract` prints; field names are a stable interface.
#[derive(Serialize)]
struct Output<'a> {
    url: Option<&'a str>,
    title: Option<&'a str>,
    lang: Option<&'a str>,
    description: Option<&'a str>,
    canonical: Option<&'a str>,
    navigation: &'a [Menu],
    headings: &'a [Heading],
    words: usize,
    /// The number of distinct outgoing links; the links themselves are `outlinks`.
    links: usize,
    outlinks: Vec<&'a str>,
    evidence: &'a [Evidence],
    verdicts: &'a [Verdict],
}

pub fn run(args: Args) -> Result<(), CliError> {
    let topics = load_topics(args.topics.as_ref())?;
    let (bytes, content_type) = if is_warc(&args.page) {
        from_archive(&args)?
    } else {
        let bytes = std::fs::read(&args.page)
            .map_err(|e| CliError::failure(format!("cannot read {}: {e}", args.page.display())))?;
        (bytes, args.content_type.clone())
    };
    let page = extract(&bytes, args.url.as_ref(), content_type.as_deref());
    // A page read on its own counts as a site's front page (depth 0).
    let detection = detect(&page, 0, &topics);
    let out = match args.format {
        Format::Json => json(&page, &detection),
        Format::Text => text(&page, &detection),
    };
    println!("{out}");
    Ok(())
}

fn is_warc(path: &std::path::Path) -> bool {
    let name = path.to_string_lossy().to_ascii_lowercase();
    name.ends_with(".warc") || name.ends_with(".warc.gz")
}

/// The body and Content-Type of the archive's last response for `--url`.
fn from_archive(args: &Args) -> Result<(Vec<u8>, Option<String>), CliError> {
    let Some(url) = &args.url else {
        return Err(CliError {
            exit: super::Exit::Usage,
            message: format!(
                "{} is a WARC archive: name the page to read with --url",
                args.page.display()
            ),
        });
    };
    let archive = crate::warc::Archive::open(&args.page).map_err(CliError::failure)?;
    let normalized = crate::crawl::normalize(url);
    let response = archive
        .last_response(url.as_str())
        .or_else(|| normalized.and_then(|n| archive.last_response(n.as_str())))
        .ok_or_else(|| {
            CliError::failure(format!(
                "no response for {url} in {} ({} URLs archived)",
                args.page.display(),
                archive.urls().count()
            ))
        })?;
    if !(200..300).contains(&response.status) {
        eprintln!(
            "alliance-audit: warning: {url} was answered {} in the archive",
            response.status
        );
    }
    let content_type = args
        .content_type
        .clone()
        .or_else(|| response.header("content-type").map(str::to_string));
    Ok((response.body, content_type))
}

fn json(page: &Page, detection: &Detection) -> String {
    let output = Output {
        url: page.url.as_deref(),
        title: page.title.as_deref(),
        lang: page.lang.as_deref(),
        description: page.description.as_deref(),
        canonical: page.canonical.as_deref(),
        navigation: &page.navigation,
        headings: &page.headings,
        words: page.words,
        links: page.links.len(),
        outlinks: page.links.iter().map(|l| l.href.as_str()).collect(),
        evidence: &detection.evidence,
        verdicts: &detection.verdicts,
    };
    serde_json::to_string_pretty(&output).expect("extract output is plain data")
}

fn text(page: &Page, detection: &Detection) -> String {
    let mut out = String::new();
    let none = "-";
    let _ = writeln!(out, "url:         {}", page.url.as_deref().unwrap_or(none));
    let _ = writeln!(
        out,
        "title:       {}",
        page.title.as_deref().unwrap_or(none)
    );
    let _ = writeln!(out, "lang:        {}", page.lang.as_deref().unwrap_or(none));
    let _ = writeln!(
        out,
        "words:       {}   links: {}",
        page.words,
        page.links.len()
    );
    let _ = writeln!(out, "menus:       {}", page.navigation.len());
    for menu in &page.navigation {
        let top = menu.top_level_labels();
        let label = if menu.label.is_empty() {
            String::new()
        } else {
            format!(" \"{}\"", menu.label)
        };
        let _ = writeln!(
            out,
            "  {:<10}{label} {} items: {}",
            menu.kind,
            menu.items.len(),
            if menu.kind == MenuKind::Breadcrumb {
                top.join(" > ")
            } else {
                top.join(" | ")
            }
        );
    }
    let _ = writeln!(out, "headings:    {}", page.headings.len());
    for heading in page.headings.iter().take(12) {
        let indent = "  ".repeat(usize::from(heading.level));
        let _ = writeln!(out, "{indent}h{} {}", heading.level, heading.text);
    }
    if page.headings.len() > 12 {
        let _ = writeln!(out, "  … {} more", page.headings.len() - 12);
    }
    for verdict in &detection.verdicts {
        let _ = writeln!(
            out,
            "{}: {} (score {})",
            verdict.topic, verdict.level, verdict.score
        );
        for evidence in detection
            .evidence
            .iter()
            .filter(|e| e.topic == verdict.topic)
        {
            let mark = if evidence.collaboration {
                " [collaboration]"
            } else {
                ""
            };
            let _ = writeln!(
                out,
                "  {:<8}{:<10}{}{mark}",
                evidence.location.as_str(),
                evidence.level.as_str(),
                evidence.snippet
            );
        }
    }
    out.trim_end().to_string()
}
