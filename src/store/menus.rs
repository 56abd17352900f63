//! Menus stored once per alliance: most of a page's menus are the site's own, the same
//! on every page, so each distinct menu is one `menus` row (keyed by a hash of its
//! content, with the number of pages it was read on) and a page keeps only the list of
//! its menus' hashes (`pages.menus`). A 1,000-page crawl of a site with a mega menu
//! stored 70,000 navigation rows before; it now stores a few hundred.

use std::collections::{HashMap, HashSet};

use super::db::{args, Db, DbError};
use crate::extract::Menu;

/// A stable hash of a menu's content (kind, label, items): FNV-1a over the fields with
/// a byte no UTF-8 text holds between them, so two different menus do not run
/// together. Stable across builds and platforms (the database outlives the binary).
pub(super) fn menu_hash(menu: &Menu) -> String {
    let mut hash = Fnv::default();
    hash.text(menu.kind.as_str());
    hash.text(&menu.label);
    for item in &menu.items {
        hash.text(&item.label);
        match &item.href {
            Some(href) => hash.text(href),
            None => hash.byte(0xfe),
        }
        hash.text(&item.depth.to_string());
        for label in &item.path {
            hash.text(label);
        }
        hash.byte(0xfd);
    }
    format!("{:016x}", hash.0)
}

struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv {
    fn byte(&mut self, byte: u8) {
        self.0 ^= u64::from(byte);
        self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
    }

    fn text(&mut self, text: &str) {
        for &byte in text.as_bytes() {
            self.byte(byte);
        }
        self.byte(0xff);
    }
}

/// The writer's side: which menus of the run are stored already, so a menu seen again
/// costs one more count instead of its items. The counts are written once a batch
/// (`save_counts`, before its commit): an `UPDATE` per menu per page was a tenth of
/// the store's work.
#[derive(Default)]
pub(super) struct MenuBook {
    stored: HashSet<(String, String)>,
    /// Pages each stored menu was read on since the last `save_counts`.
    unsaved: HashMap<(String, String), i64>,
}

impl MenuBook {
    /// Stores the menus of one page of `alliance_id` (new ones whole, known ones counted
    /// once more) and returns their hashes in page order, space-separated.
    pub(super) fn record(
        &mut self,
        db: &Db,
        run_id: &str,
        alliance_id: &str,
        menus: &[Menu],
    ) -> Result<String, DbError> {
        let mut hashes = String::with_capacity(menus.len() * 17);
        for menu in menus {
            let hash = menu_hash(menu);
            if !hashes.is_empty() {
                hashes.push(' ');
            }
            hashes.push_str(&hash);
            let key = (alliance_id.to_string(), hash);
            if self.stored.contains(&key) {
                *self.unsaved.entry(key).or_default() += 1;
                continue;
            }
            // A resumed run may have stored it before this writer started.
            db.execute(
                "INSERT INTO menus (run_id, alliance_id, hash, kind, label, items, pages)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, 1)
                 ON CONFLICT (run_id, alliance_id, hash) DO UPDATE SET pages = menus.pages + 1",
                args![
                    run_id,
                    alliance_id,
                    key.1.as_str(),
                    menu.kind.as_str(),
                    menu.label.as_str(),
                    serde_json::to_string(&menu.items).expect("menu items serialise"),
                ],
            )?;
            self.stored.insert(key);
        }
        Ok(hashes)
    }

    /// Adds the pages counted since the last call to their menus' rows: in the batch's
    /// transaction, so the rows and the pages that list them are committed together.
    pub(super) fn save_counts(&mut self, db: &Db, run_id: &str) -> Result<(), DbError> {
        for ((alliance_id, hash), pages) in self.unsaved.drain() {
            db.execute(
                "UPDATE menus SET pages = pages + ?4
                 WHERE run_id = ?1 AND alliance_id = ?2 AND hash = ?3",
                args![run_id, alliance_id.as_str(), hash.as_str(), pages],
            )?;
        }
        Ok(())
    }

    /// Drops the counts of a batch that was rolled back.
    pub(super) fn forget_counts(&mut self) {
        self.unsaved.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::{MenuKind, NavItem};

    fn menu(kind: MenuKind, labels: &[&str]) -> Menu {
        Menu {
            kind,
            label: String::new(),
            items: labels
                .iter()
                .map(|label| NavItem {
                    label: label.to_string(),
                    href: Some(format!("https://e.org/{label}")),
                    depth: 0,
                    path: Vec::new(),
                })
                .collect(),
        }
    }

    #[test]
    fn counts_are_kept_until_the_batch_saves_them_and_then_add_up() {
        let dir = tempfile::tempdir().unwrap();
        let store = super::super::Store::open(&dir.path().join("m.db")).unwrap();
        let db = &store.db;
        db.execute(
            "INSERT INTO runs (id, started_at, status, tool_version, config_hash, topics, options)
             VALUES ('r', 't', 'running', 'v', 'h', '[]', '{}')",
            &[],
        )
        .unwrap();
        let pages = |hash: &str| -> i64 {
            db.query_one(
                "SELECT pages FROM menus WHERE alliance_id = 'u21' AND hash = ?1",
                args![hash],
            )
            .unwrap()
            .get(0)
            .unwrap()
        };
        let site = [menu(MenuKind::Primary, &["About", "Members"])];
        let hash = menu_hash(&site[0]);
        let mut book = MenuBook::default();
        for _ in 0..3 {
            let listed = book.record(db, "r", "u21", &site).unwrap();
            assert_eq!(listed, hash);
        }
        // The first page stored the menu; the next two are counted, not yet written.
        assert_eq!(pages(&hash), 1);
        book.save_counts(db, "r").unwrap();
        assert_eq!(pages(&hash), 3);
        book.record(db, "r", "u21", &site).unwrap();
        book.forget_counts();
        book.record(db, "r", "u21", &site).unwrap();
        book.save_counts(db, "r").unwrap();
        assert_eq!(pages(&hash), 4);
        // Another alliance's copy of the same menu is a row of its own.
        book.record(db, "r", "leru", &site).unwrap();
        book.save_counts(db, "r").unwrap();
        let rows: i64 = db
            .query_one("SELECT count(*) FROM menus", &[])
            .unwrap()
            .get(0)
            .unwrap();
        assert_eq!((rows, pages(&hash)), (2, 4));
    }

    #[test]
    fn the_hash_is_the_menu_content() {
        let a = menu(MenuKind::Primary, &["About", "Members"]);
        assert_eq!(menu_hash(&a), menu_hash(&a.clone()));
        assert_eq!(menu_hash(&a).len(), 16);
        assert_ne!(
            menu_hash(&a),
            menu_hash(&menu(MenuKind::Footer, &["About", "Members"]))
        );
        assert_ne!(
            menu_hash(&a),
            menu_hash(&menu(MenuKind::Primary, &["AboutMembers"]))
        );
        let mut nested = a.clone();
        nested.items[1].path = vec!["About".into()];
        nested.items[1].depth = 1;
        assert_ne!(menu_hash(&a), menu_hash(&nested));
        // Fixed across builds (the database keeps it): FNV-1a 64 of "other\xff\xff".
        let empty = Menu {
            kind: MenuKind::Other,
            label: String::new(),
            items: Vec::new(),
        };
        assert_eq!(menu_hash(&empty), "555df7a6dcf45213");
    }
}
