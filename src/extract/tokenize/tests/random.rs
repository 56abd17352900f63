//! The tokenizer against html5ever's on documents made at random: pieces of markup put
//! together, and saved pages broken.

use proptest::prelude::*;

use super::{difference, html5evers, ours, quick_and_same, saved_pages, AWKWARD};

/// Real pages broken at random: a piece or a run of markup characters put in anywhere
/// (inside tags, values, comments, scripts), a stretch cut out, the end cut off.
fn mutate(html: &str, random: &mut impl FnMut() -> usize) -> String {
    const CHARACTERS: &[u8] = b"<>&\"'=/!-? \n\tax#;X0123456789";
    let mut doc = html.to_string();
    for _ in 0..1 + random() % 4 {
        let mut at = random() % (doc.len() + 1);
        while !doc.is_char_boundary(at) {
            at -= 1;
        }
        match random() % 5 {
            0 => doc.insert_str(at, PIECES[random() % PIECES.len()]),
            1 => doc.insert_str(at, AWKWARD[random() % AWKWARD.len()]),
            2 => {
                for _ in 0..1 + random() % 6 {
                    doc.insert(at, CHARACTERS[random() % CHARACTERS.len()] as char);
                }
            }
            3 => {
                let mut end = (at + random() % 200).min(doc.len());
                while !doc.is_char_boundary(end) {
                    end -= 1;
                }
                doc.replace_range(at..end, "");
            }
            _ => doc.truncate(at),
        }
    }
    doc
}

#[test]
fn saved_pages_broken_at_random_give_html5evers_tree_or_are_left_to_it() {
    let pages = saved_pages();
    // xorshift, seeded: the same documents on every run.
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut random = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state as usize
    };
    let mut quick = 0;
    for (file, html) in &pages {
        for _ in 0..3 {
            let doc = mutate(html, &mut random);
            if quick_and_same(&doc, format_args!("{} broken as {doc:?}", file.display())).is_ok() {
                quick += 1;
            }
        }
    }
    // Most broken pages are still plain enough for the quick way: the test reads it.
    assert!(
        quick * 2 > pages.len() * 3,
        "{quick} of {} documents",
        pages.len() * 3
    );
}

/// Pieces of markup, plain and awkward, that random documents are made of.
const PIECES: &[&str] = &[
    "<p>",
    "</p>",
    "<div class=a>",
    "</div>",
    "<a href=\"/x?a=1&b=2\">",
    "</a>",
    "<li>",
    "<ul>",
    "</ul>",
    "<table>",
    "<tr>",
    "<td>",
    "</table>",
    "<b>",
    "</i>",
    "<br/>",
    "<img src=x>",
    "text",
    " ",
    "\n",
    "\r\n",
    "&amp;",
    "&copy",
    "&#233;",
    "&",
    "<",
    ">",
    "<3",
    "</>",
    "<!-- c -->",
    "<!doctype html>",
    "<title>",
    "</title>",
    "<script>",
    "</script>",
    "<style>",
    "</style>",
    "<textarea>",
    "</textarea>",
    "<pre>",
    "<svg>",
    "</svg>",
    "<math>",
    "<template>",
    "<select>",
    "<option>",
    "<html>",
    "<head>",
    "<body>",
    "</body>",
    "<frameset>",
    "<noscript>",
    "é",
    "\u{a0}",
    "<a href=x/>",
    "<input value='&lt;'>",
    "<!x>",
    "<?pi?>",
    "<h1>",
    "</h2>",
    "<form>",
    "<nav>",
    "&#10",
    "<listing>",
    "\t",
    "<a",
    " href",
    "=",
    "\"x\"",
    "'y'",
    "/",
    "-->",
    "<!--",
    "</pre>",
    "&notit;",
    "<xmp>",
    "</xmp>",
    "<iframe>",
    "</iframe>",
    "<caption>",
    "<col>",
    "<hr/>",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn random_markup_gives_html5evers_tree_or_is_left_to_it(
        pieces in proptest::collection::vec(proptest::sample::select(PIECES), 0..40)
    ) {
        let html = pieces.concat();
        if let Ok(tree) = ours(&html) {
            let theirs = html5evers(&html);
            prop_assert!(tree == theirs, "{:?}:\n{}", html, difference(&tree, &theirs));
        }
    }
}
