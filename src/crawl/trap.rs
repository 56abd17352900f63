//! Crawler traps: URL spaces a site can generate without end (calendars with a "next
//! month" link forever, paths that repeat themselves through relative links, query
//! strings that grow on each click). A URL caught here is recorded as `skipped_trap`
//! instead of being fetched.
//!
//! The rules are cheap and judged on the URL alone:
//! - a URL longer than 2,000 characters (what browsers and servers reliably handle);
//! - a path segment repeated 3 times or more, or more than 12 segments;
//! - a query longer than 200 characters or with more than 8 parameters;
//! - a date beyond next-year-plus-one, or before 1990 (no web archive goes further
//!   back; recent past years are kept because news archives live there): in a
//!   `YYYY-MM[-DD]` path segment or query value, a `YYYY/MM` path, or a query
//!   parameter named like a date (`year`, `month`, `date`, ...);
//! - more than 50 distinct query strings on one path (a calendar or filter space
//!   walked one click at a time).

use std::collections::HashMap;
use std::fmt;

use url::Url;

const MAX_URL_CHARS: usize = 2000;
const MAX_SEGMENT_REPEATS: usize = 2;
const MAX_SEGMENTS: usize = 12;
const MAX_QUERY_CHARS: usize = 200;
const MAX_QUERY_PARAMS: usize = 8;
const MAX_QUERY_VARIANTS_PER_PATH: usize = 50;
/// Years ahead of the current one still crawled (events are announced that far).
const YEARS_AHEAD: i32 = 2;
const EARLIEST_YEAR: i32 = 1990;
/// Query parameter names (lowercased, by substring) whose values are dates.
const DATE_PARAM_NAMES: &[&str] = &["year", "month", "date", "day", "week", "cal"];

/// Why a URL looks like a trap.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Trap {
    LongUrl(usize),
    RepeatedSegment(String),
    DeepPath(usize),
    LongQuery(usize),
    ManyParams(usize),
    DistantDate(i32),
    QueryVariants(usize),
}

impl fmt::Display for Trap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Trap::LongUrl(chars) => write!(f, "trap: URL of {chars} characters"),
            Trap::RepeatedSegment(segment) => {
                write!(f, "trap: path segment {segment:?} repeats")
            }
            Trap::DeepPath(count) => write!(f, "trap: path has {count} segments"),
            Trap::LongQuery(chars) => write!(f, "trap: query string of {chars} characters"),
            Trap::ManyParams(count) => write!(f, "trap: {count} query parameters"),
            Trap::DistantDate(year) => write!(f, "trap: calendar date in {year}"),
            Trap::QueryVariants(count) => {
                write!(f, "trap: more than {count} query variants of one path")
            }
        }
    }
}

/// Judges URLs for one alliance; remembers query variants per path.
#[derive(Debug)]
pub struct TrapGuard {
    this_year: i32,
    query_variants: HashMap<String, usize>,
}

impl TrapGuard {
    pub fn new(this_year: i32) -> Self {
        TrapGuard {
            this_year,
            query_variants: HashMap::new(),
        }
    }

    /// Checks a URL seen for the first time (the caller dedupes; each call counts
    /// as a new query variant of its path).
    pub fn check(&mut self, url: &Url) -> Result<(), Trap> {
        if url.as_str().len() > MAX_URL_CHARS {
            return Err(Trap::LongUrl(url.as_str().len()));
        }
        check_path(url)?;
        check_query_shape(url)?;
        if let Some(year) = dates_in(url).find(|year| !self.is_plausible_year(*year)) {
            return Err(Trap::DistantDate(year));
        }
        if url.query().is_some() {
            let path_key = format!("{}{}", url.origin().ascii_serialization(), url.path());
            let variants = self.query_variants.entry(path_key).or_default();
            *variants += 1;
            if *variants > MAX_QUERY_VARIANTS_PER_PATH {
                return Err(Trap::QueryVariants(MAX_QUERY_VARIANTS_PER_PATH));
            }
        }
        Ok(())
    }

    fn is_plausible_year(&self, year: i32) -> bool {
        (EARLIEST_YEAR..=self.this_year + YEARS_AHEAD).contains(&year)
    }
}

fn segments(url: &Url) -> Vec<&str> {
    url.path()
        .split('/')
        .filter(|segment| !segment.is_empty())
        .collect()
}

fn check_path(url: &Url) -> Result<(), Trap> {
    let segments = segments(url);
    if segments.len() > MAX_SEGMENTS {
        return Err(Trap::DeepPath(segments.len()));
    }
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for segment in &segments {
        let count = counts.entry(segment).or_default();
        *count += 1;
        if *count > MAX_SEGMENT_REPEATS {
            return Err(Trap::RepeatedSegment((*segment).to_string()));
        }
    }
    Ok(())
}

fn check_query_shape(url: &Url) -> Result<(), Trap> {
    let Some(query) = url.query() else {
        return Ok(());
    };
    if query.len() > MAX_QUERY_CHARS {
        return Err(Trap::LongQuery(query.len()));
    }
    let params = query.split('&').filter(|pair| !pair.is_empty()).count();
    if params > MAX_QUERY_PARAMS {
        return Err(Trap::ManyParams(params));
    }
    Ok(())
}

/// Years that the URL spells as dates.
fn dates_in(url: &Url) -> impl Iterator<Item = i32> + '_ {
    let segments = segments(url);
    let mut years = Vec::new();
    for (index, segment) in segments.iter().enumerate() {
        if let Some(year) = date_year(segment) {
            years.push(year);
        } else if let (Some(year), Some(next)) = (four_digit_year(segment), segments.get(index + 1))
        {
            // `/2031/05/`: a year followed by a month.
            let is_month = next.len() <= 2
                && next
                    .parse::<u8>()
                    .is_ok_and(|month| (1..=12).contains(&month));
            if is_month {
                years.push(year);
            }
        }
    }
    for (name, value) in url.query_pairs() {
        let is_date_name = {
            let name = name.to_ascii_lowercase();
            DATE_PARAM_NAMES.iter().any(|date| name.contains(date))
        };
        if let Some(year) = date_year(&value) {
            years.push(year);
        } else if is_date_name {
            let leading: String = value.chars().take_while(char::is_ascii_digit).collect();
            if let Some(year) = four_digit_year(&leading) {
                years.push(year);
            }
        }
    }
    years.into_iter()
}

fn four_digit_year(text: &str) -> Option<i32> {
    (text.len() == 4 && text.bytes().all(|byte| byte.is_ascii_digit()))
        .then(|| text.parse().ok())
        .flatten()
}

/// The year of `YYYY-MM` or `YYYY-MM-DD` (a whole segment or value).
fn date_year(text: &str) -> Option<i32> {
    let mut parts = text.split('-');
    let year = four_digit_year(parts.next()?)?;
    let month = parts.next()?;
    let rest: Vec<&str> = parts.collect();
    let is_two_digits = |part: &str| part.len() == 2 && part.bytes().all(|b| b.is_ascii_digit());
    (is_two_digits(month) && rest.len() <= 1 && rest.iter().all(|day| is_two_digits(day)))
        .then_some(year)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(guard: &mut TrapGuard, url: &str) -> Result<(), Trap> {
        guard.check(&Url::parse(url).unwrap())
    }

    fn guard() -> TrapGuard {
        TrapGuard::new(2025)
    }

    #[test]
    fn ordinary_urls_pass() {
        let mut guard = guard();
        for url in [
            "https://e.org/",
            "https://e.org/news/2024/03/library-network",
            "https://e.org/news/2015/05/archive-item",
            "https://e.org/events?month=2026-11",
            "https://e.org/a/b/a/b",
            "https://e.org/search?q=library&page=2",
            "https://e.org/product/2500",
        ] {
            assert_eq!(check(&mut guard, url), Ok(()), "{url}");
        }
    }

    #[test]
    fn repeated_segments_and_deep_paths() {
        let mut guard = guard();
        assert_eq!(
            check(&mut guard, "https://e.org/a/b/a/b/a/"),
            Err(Trap::RepeatedSegment("a".into()))
        );
        let deep = format!(
            "https://e.org/{}",
            (0..13).map(|i| format!("s{i}/")).collect::<String>()
        );
        assert_eq!(check(&mut guard, &deep), Err(Trap::DeepPath(13)));
    }

    #[test]
    fn over_long_urls() {
        let mut guard = guard();
        let long = format!("https://e.org/{}", "a".repeat(2000));
        assert!(matches!(check(&mut guard, &long), Err(Trap::LongUrl(_))));
    }

    #[test]
    fn long_and_crowded_queries() {
        let mut guard = guard();
        let long = format!("https://e.org/p?q={}", "x".repeat(200));
        assert!(matches!(check(&mut guard, &long), Err(Trap::LongQuery(_))));
        let many = format!(
            "https://e.org/p?{}",
            (0..9)
                .map(|i| format!("k{i}=v"))
                .collect::<Vec<_>>()
                .join("&")
        );
        assert_eq!(check(&mut guard, &many), Err(Trap::ManyParams(9)));
    }

    #[test]
    fn distant_calendar_dates() {
        let mut guard = guard();
        assert_eq!(
            check(&mut guard, "https://e.org/calendar/2028/01/"),
            Err(Trap::DistantDate(2028))
        );
        assert_eq!(
            check(&mut guard, "https://e.org/events?month=2031-05"),
            Err(Trap::DistantDate(2031))
        );
        assert_eq!(
            check(&mut guard, "https://e.org/cal?year=1850&m=1"),
            Err(Trap::DistantDate(1850))
        );
        assert_eq!(
            check(&mut guard, "https://e.org/day/2099-12-31"),
            Err(Trap::DistantDate(2099))
        );
        assert_eq!(check(&mut guard, "https://e.org/calendar/2027/12/"), Ok(()));
    }

    #[test]
    fn too_many_query_variants_of_one_path() {
        let mut guard = guard();
        for page in 0..MAX_QUERY_VARIANTS_PER_PATH {
            assert_eq!(
                check(&mut guard, &format!("https://e.org/list?p={page}")),
                Ok(())
            );
        }
        assert_eq!(
            check(&mut guard, "https://e.org/list?p=x"),
            Err(Trap::QueryVariants(MAX_QUERY_VARIANTS_PER_PATH))
        );
        // Another path has its own budget.
        assert_eq!(check(&mut guard, "https://e.org/other?p=1"), Ok(()));
    }
}
