//! The tokenizer against html5ever's: the same tree, or a refusal.

mod random;

use std::fmt::Write;
use std::path::{Path, PathBuf};

use ego_tree::NodeRef;
use scraper::{Html, Node};

use super::{parse, Unusual};
use crate::extract::{empty_document, parse_with_html5ever};

/// A tree as text: every node on a line, indented by depth, with what html5ever sets
/// (names with their namespace, attributes in order, texts, comments, the doctype and
/// the document's quirks mode).
fn dump(document: &Html) -> String {
    let mut out = format!("quirks: {:?}\n", document.quirks_mode);
    dump_node(document.tree.root(), 0, &mut out);
    out
}

fn dump_node(node: NodeRef<'_, Node>, depth: usize, out: &mut String) {
    let indent = "  ".repeat(depth);
    let _ = match node.value() {
        Node::Document => writeln!(out, "{indent}#document"),
        Node::Fragment => writeln!(out, "{indent}#fragment"),
        Node::Doctype(doctype) => writeln!(
            out,
            "{indent}<!DOCTYPE {:?} {:?} {:?}>",
            doctype.name(),
            doctype.public_id(),
            doctype.system_id()
        ),
        Node::Comment(comment) => writeln!(out, "{indent}<!-- {:?} -->", &**comment),
        Node::Text(text) => writeln!(out, "{indent}{:?}", &**text),
        Node::Element(element) => {
            let name = &element.name;
            let mut line = format!("{indent}<{}:{}", &*name.ns, &*name.local);
            for (attr, value) in element.attrs.iter() {
                let prefix = attr
                    .prefix
                    .as_ref()
                    .map(|p| format!("{}:", &**p))
                    .unwrap_or_default();
                let _ = write!(
                    line,
                    " {prefix}{}[{}]={:?}",
                    &*attr.local, &*attr.ns, &**value
                );
            }
            writeln!(out, "{line}>")
        }
        Node::ProcessingInstruction(pi) => {
            writeln!(out, "{indent}<?{:?} {:?}>", &*pi.target, &*pi.data)
        }
    };
    for child in node.children() {
        dump_node(child, depth + 1, out);
    }
}

/// Our tree, when the tokenizer takes the page.
fn ours(html: &str) -> Result<String, Unusual> {
    parse(html, empty_document(html)).map(|document| dump(&document))
}

fn html5evers(html: &str) -> String {
    dump(&parse_with_html5ever(html))
}

/// The first line where two dumps part, with a few lines of context.
fn difference(ours: &str, theirs: &str) -> String {
    let ours: Vec<&str> = ours.lines().collect();
    let theirs: Vec<&str> = theirs.lines().collect();
    let at = ours
        .iter()
        .zip(&theirs)
        .position(|(a, b)| a != b)
        .unwrap_or(ours.len().min(theirs.len()));
    let from = at.saturating_sub(3);
    format!(
        "ours:\n{}\nhtml5ever's:\n{}",
        ours[from..(at + 3).min(ours.len())].join("\n"),
        theirs[from..(at + 3).min(theirs.len())].join("\n")
    )
}

fn html_files(dir: &Path, files: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            html_files(&path, files);
        } else if path.extension().is_some_and(|e| e == "html" || e == "htm") {
            files.push(path);
        }
    }
}

/// Every saved page under `fixtures/`, in a fixed order, decoded as the crawl decodes.
fn saved_pages() -> Vec<(PathBuf, String)> {
    let mut files = Vec::new();
    html_files(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures"),
        &mut files,
    );
    files.sort();
    files
        .into_iter()
        .map(|file| {
            let bytes = std::fs::read(&file).unwrap();
            let html = crate::decode::decode(&bytes, None).0.into_owned();
            (file, html)
        })
        .collect()
}

/// `Ok` when the tokenizer takes `html`, whose tree must then be html5ever's (`what`
/// names the document in the failure); else why it leaves it to html5ever.
fn quick_and_same(html: &str, what: impl std::fmt::Display) -> Result<(), Unusual> {
    let tree = ours(html)?;
    let theirs = html5evers(html);
    assert!(tree == theirs, "{what}:\n{}", difference(&tree, &theirs));
    Ok(())
}

#[test]
fn every_saved_page_gives_html5evers_tree_and_most_take_the_quick_way() {
    let pages = saved_pages();
    assert!(pages.len() > 100, "fixtures: {}", pages.len());
    let mut quick = 0;
    for (file, html) in &pages {
        match quick_and_same(html, file.display()) {
            Ok(()) => quick += 1,
            Err(Unusual(why)) => eprintln!("{}: left to html5ever: {why}", file.display()),
        }
    }
    assert!(
        quick * 10 >= pages.len() * 9,
        "{quick} of {} pages",
        pages.len()
    );
}

/// Markup with corner cases the tokenizer must read as html5ever does.
const AWKWARD: &[&str] = &[
    "",
    "plain text, no tags",
    "<!DOCTYPE html><title>A &amp; B</title><p>x",
    "<!doctype HTML><html lang=en><body>",
    "<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Transitional//EN\" \"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd\">x",
    "<!DOCTYPE html PUBLIC '-//W3C//DTD HTML 4.01//EN'>x",
    "<!DOCTYPE html SYSTEM \"about:legacy-compat\">x",
    "<!DOCTYPE svg>quirks",
    "no doctype: quirks",
    "\u{feff}<!DOCTYPE html>bom",
    "<p>line\r\nbreaks\rand\r\r\n</p>",
    "<pre>\nfirst newline dropped</pre><textarea>\n\nkept one</textarea>",
    "<pre>&#10;a reference too</pre><pre>&#10no semicolon</pre><pre></>\nafter</pre>",
    "<listing>\nx</listing><textarea>&#x0a</textarea><pre><!---->\ny</pre>",
    "<P CLASS=Upper ID='x'>Upper case</P>",
    "<a href=/plain title=\"q\"class='c'>no space between</a>",
    "<a href=\"/x\" href=\"/y\" HREF=/z>duplicates</a>",
    "<input disabled value=x checked><br/><img src=a.png />",
    "<a href=>empty</a><a href= x >spaces</a><a b = 'c'>",
    "<div/a/b>slashes</div >",
    "<a href=\"?a=1&copy=2&amp;b=&lt&gt;&notin;&#38;&#x26\">refs in attributes</a>",
    "&copy 2026 &amp &notit; &#150; &#x110000; &#0; &#; &#x; & &&amp; &nosuch; &AMP;",
    "<p>&NotEqualTilde; &acE; two characters</p>",
    "a < b and c <3 d <= e <\tf",
    "x</>y",
    "<!-- a comment --><!----><!-- x <!-- y --> <!-- a --- b ---->",
    "<!--a-- b-->",
    "<?xml version=\"1.0\"?><!ELEMENT x><!- ->",
    "<script>if (a < b && c > d) { x = '</p>'; } </SCRIPT >after",
    "<script type=module>let s = \"<!-- not a comment\";</script>",
    "<style>p > a { content: '&amp;' }</style><style></style>",
    "<title>T &amp; &lt;b&gt;</title><textarea>a &lt; <b>b</textarea>",
    "<noscript><img src=x></noscript><iframe><p>x</iframe><xmp><b></xmp>",
    "<noembed>&amp;</noembed><noframes></noframes>",
    "<table><tr><td>cell<td>cell</table>text in table<table>x<tr>y</table>",
    "<ul><li>one<li>two</ul><p><div>nested</p></div><b><i>mis</b>nested</i>",
    "<svg viewBox=\"0 0 1 1\"><path d=M0/><foreignObject><p>x</p></foreignObject></svg>",
    "<math><mi>x</mi><annotation-xml encoding=text/html><p>y</annotation-xml></math>",
    "<template><li>in a template</li></template>",
    "<head><meta charset=utf-8><base href=/><link rel=stylesheet></head> <body>",
    "<html><head></head><body></body></html><!-- after --> \n",
    "<frameset><frame></frameset>",
    "<select><option>a<option>b</select>",
    "<a href='x'>one</a><a href='x'\n>two</a\n>",
    "<p>caf\u{e9} \u{4e2d}\u{6587} \u{1f600}</p><p title=\"\u{e9}\">x</p>",
    "<xü attr-é=\"1\">non-ASCII names</xü>",
    "<a \"quoted\"=1 'x'=2 <y=3>odd names</a>",
    "<a href=x>unquoted &amp; values</a><a href=a&b>x</a><a href=a&copy;b>y</a>",
];

#[test]
fn awkward_markup_takes_the_quick_way_and_gives_html5evers_tree() {
    for html in AWKWARD {
        let tree =
            ours(html).unwrap_or_else(|why| panic!("{html:?} was left to html5ever: {why:?}"));
        let theirs = html5evers(html);
        assert!(tree == theirs, "{html:?}:\n{}", difference(&tree, &theirs));
    }
}

#[test]
fn unusual_markup_is_left_to_html5ever() {
    for html in [
        "a\0b",
        "<plaintext>x",
        "<svg><![CDATA[x]]></svg>",
        "<script><!--<script></script>--></script>",
        "<script>never ends",
        "<title>never ends",
        "<!-->",
        "<!--->",
        "<!-- a --!> b -->",
        "<!-- never ends",
        "<!DOCTYPE>",
        "<!DOCTYPE >",
        "<!DOCTYPEhtml>",
        "<!DOCTYPE html PUBLIC>",
        "<!DOCTYPE html PUBLIC \"a>b\">",
        "<!DOCTYPE html bogus>",
        "<a =x>",
        "<a href=\"x",
        "<a",
        "</ x>",
        "<!x",
    ] {
        assert!(ours(html).is_err(), "{html:?} took the quick way");
        // And html5ever reads it, as the caller will.
        let _ = html5evers(html);
    }
}

#[test]
fn a_tag_with_many_attributes_keeps_the_first_of_each_name() {
    let mut html = String::from("<div");
    for n in 0..20_000 {
        html.push_str(&format!(" a{n}={n}"));
    }
    html.push_str(" a7=again a19999=again A20000=last>x</div>");
    let tree = ours(&html).expect("plain markup");
    assert_eq!(tree, html5evers(&html));
    let document = parse(&html, empty_document(&html)).unwrap();
    let div = document
        .tree
        .nodes()
        .find_map(|node| {
            node.value()
                .as_element()
                .filter(|el| el.name() == "div")
                .cloned()
        })
        .unwrap();
    assert_eq!(div.attrs().count(), 20_001);
    assert_eq!(div.attr("a7"), Some("7"));
    assert_eq!(div.attr("a19999"), Some("19999"));
    assert_eq!(div.attr("a20000"), Some("last"));
}
