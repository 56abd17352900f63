//! The store as the crawl's HTTP cache: validators and what a 304 reuses.

use super::*;

impl Store {
    /// The page an HTTP cache entry stands for: the validators of `url` and the last
    /// counted `ok` record of it in the run that stored them, if its detection holds
    /// at link depth `depth` (only whether the depth is ≤ 1 changes a detection).
    pub fn cached_page(&self, url: &str, depth: usize) -> Result<Option<CachedPage>, StoreError> {
        let entry = self.map_row(
            "SELECT etag, last_modified, run_id FROM http_cache WHERE url = ?1",
            args![url],
            |row| {
                Ok((
                    self.col::<Option<String>>(row, 0)?,
                    self.col::<Option<String>>(row, 1)?,
                    self.col::<String>(row, 2)?,
                ))
            },
        )?;
        let Some((etag, last_modified, run_id)) = entry else {
            return Ok(None);
        };
        let found: Option<CachedRow> = self.map_row(
            "SELECT seq, depth, content_type, extraction, detection, links, alliance_id, menus
             FROM pages
             WHERE url = ?1 AND run_id = ?2 AND outcome = 'ok'
             AND extraction IS NOT NULL AND detection IS NOT NULL
             ORDER BY seq DESC LIMIT 1",
            args![url, &run_id],
            |row| {
                Ok((
                    self.col(row, 0)?,
                    self.col(row, 1)?,
                    self.col(row, 2)?,
                    self.col(row, 3)?,
                    self.col(row, 4)?,
                    self.col(row, 5)?,
                    self.col(row, 6)?,
                    self.col(row, 7)?,
                ))
            },
        )?;
        let Some((seq, stored_depth, content_type, extraction, detection, links, alliance, menus)) =
            found
        else {
            return Ok(None);
        };
        if (stored_depth <= 1) != (depth <= 1) {
            return Ok(None);
        }
        let mut page: crate::extract::Page =
            serde_json::from_str(&extraction).map_err(|e| self.corrupt(e))?;
        if let Some(hashes) = menus {
            self.complete_page(&run_id, &alliance, seq, &hashes, &mut page)?;
        }
        let mut detection: crate::detect::Detection =
            serde_json::from_str(&detection).map_err(|e| self.corrupt(e))?;
        if detection.evidence.is_empty() {
            detection.evidence = self.evidence_of(&run_id, seq, page.url.clone())?;
        }
        let links = match links {
            Some(json) => serde_json::from_str(&json).map_err(|e| self.corrupt(e))?,
            None => Vec::new(),
        };
        Ok(Some(CachedPage {
            validators: Validators {
                etag,
                last_modified,
            },
            content_type,
            page,
            detection,
            links,
        }))
    }
}

/// seq, depth, content type, extraction, detection, links, alliance and menus of a
/// cached page's record.
type CachedRow = (
    i64,
    i64,
    Option<String>,
    String,
    String,
    Option<String>,
    String,
    Option<String>,
);

/// The run store as the crawl's [`HttpCache`]: its own connection, shared by the
/// fetch tasks behind a lock (a lookup is one indexed query).
pub struct StoreCache {
    store: std::sync::Mutex<Store>,
}

impl StoreCache {
    pub fn open(target: &super::super::DbTarget) -> Result<StoreCache, StoreError> {
        Ok(StoreCache {
            store: std::sync::Mutex::new(Store::connect(target)?),
        })
    }
}

impl HttpCache for StoreCache {
    fn lookup(&self, url: &str, depth: usize) -> Option<CachedPage> {
        let store = self.store.lock().unwrap_or_else(|e| e.into_inner());
        match store.cached_page(url, depth) {
            Ok(found) => found,
            Err(error) => {
                tracing::warn!(%url, %error, "HTTP cache lookup failed; fetching in full");
                None
            }
        }
    }
}
