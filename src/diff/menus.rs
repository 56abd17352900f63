//! Menu items removed and added between two runs, paired into renames and moves.

use super::NavRename;
use crate::store::NavEntry;

/// Pairs removed and added items that are the same item renamed (same kind, path and
/// href) or moved (same kind, path and label), taking them out of both lists.
pub(super) fn pair_renames(
    removed: &mut Vec<NavEntry>,
    added: &mut Vec<NavEntry>,
) -> Vec<NavRename> {
    let mut renames = Vec::new();
    for same_href in [true, false] {
        let mut i = 0;
        while i < removed.len() {
            let old = &removed[i];
            let found = added.iter().position(|new| {
                new.menu_kind == old.menu_kind
                    && new.path == old.path
                    && if same_href {
                        old.href.is_some() && new.href == old.href
                    } else {
                        new.label == old.label
                    }
            });
            match found {
                Some(j) => {
                    let new = added.remove(j);
                    let old = removed.remove(i);
                    renames.push(NavRename {
                        menu_kind: old.menu_kind,
                        path: old.path,
                        old_label: old.label,
                        new_label: new.label,
                        old_href: old.href,
                        new_href: new.href,
                    });
                }
                None => i += 1,
            }
        }
    }
    renames
}

/// Drops the children of a renamed item from both lists when they are the same
/// children under the new name: a renamed dropdown is one change, not one per child.
pub(super) fn follow_parent_renames(
    renames: &[NavRename],
    removed: &mut Vec<NavEntry>,
    added: &mut Vec<NavEntry>,
) {
    let join = |path: &str, label: &str| {
        if path.is_empty() {
            label.to_string()
        } else {
            format!("{path} > {label}")
        }
    };
    for rename in renames.iter().filter(|r| r.old_label != r.new_label) {
        let old_prefix = join(&rename.path, &rename.old_label);
        let new_prefix = join(&rename.path, &rename.new_label);
        removed.retain(|old| {
            if old.menu_kind != rename.menu_kind {
                return true;
            }
            let rest = if old.path == old_prefix {
                Some("")
            } else {
                old.path
                    .strip_prefix(&old_prefix)
                    .filter(|rest| rest.starts_with(" > "))
            };
            let Some(rest) = rest else {
                return true;
            };
            let new_path = format!("{new_prefix}{rest}");
            let found = added.iter().position(|new| {
                new.menu_kind == old.menu_kind
                    && new.path == new_path
                    && new.label == old.label
                    && new.href == old.href
            });
            match found {
                Some(j) => {
                    added.remove(j);
                    false
                }
                None => true,
            }
        });
    }
}
