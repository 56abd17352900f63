//! A quicker tokenizer for html5ever's tree builder: the same tree, built from the same
//! tokens, read from the page by scanning its bytes.
//!
//! html5ever's own tokenizer takes its input one character at a time from a queue and
//! grows every name and text one character at a time: half of a crawl's parsing
//! (`benches/README.md`). Here a text or an attribute value is a slice of one shared
//! buffer, found with `memchr`, and only what needs decoding (character references) is
//! copied. The tree builder is html5ever's, so everything the standard says about
//! building the tree (misnested tags, tables, foreign content) is html5ever's.
//!
//! Only markup whose tokenizing is plain is read here. Anything with corner cases this
//! reader does not repeat (NUL bytes, CDATA sections, `<plaintext>`, escaped script data,
//! abrupt comments, irregular doctypes, input that ends inside a tag...) is [`Unusual`],
//! and the caller parses the page with html5ever's tokenizer instead: tests hold the
//! trees of both equal on every saved page and on generated markup.

mod char_ref;
mod markup;
#[cfg(test)]
mod tests;

use ego_tree::NodeId;
use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{Tag, Token, TokenSink, TokenSinkResult};
use html5ever::tree_builder::{TreeBuilder, TreeBuilderOpts, TreeSink};
use html5ever::LocalName;
use memchr::{memchr, memchr2};
use scraper::{Html, HtmlTreeSink};

/// Markup this tokenizer leaves to html5ever's, and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unusual(pub &'static str);

type Builder = TreeBuilder<NodeId, HtmlTreeSink>;

/// Parses `html` into `document` (an empty one), or says why it leaves the page to
/// html5ever's tokenizer.
pub fn parse(html: &str, document: Html) -> Result<Html, Unusual> {
    if u32::try_from(html.len()).is_err() {
        // Tendrils, which texts are slices of, count in `u32`.
        return Err(Unusual("a page of 4 GiB or more"));
    }
    if memchr(0, html.as_bytes()).is_some() {
        return Err(Unusual("a NUL character"));
    }
    let html = html.strip_prefix('\u{feff}').unwrap_or(html);
    let normalised;
    let source = if memchr(b'\r', html.as_bytes()).is_some() {
        normalised = normalise_newlines(html);
        normalised.as_str()
    } else {
        html
    };
    let builder = TreeBuilder::new(HtmlTreeSink::new(document), TreeBuilderOpts::default());
    let mut tokenizer = Tokenizer::new(source, builder);
    tokenizer.run()?;
    let Tokenizer { builder, .. } = tokenizer;
    builder.end();
    Ok(builder.sink.finish())
}

/// CR LF and lone CR become LF, as the standard preprocesses the input stream.
fn normalise_newlines(html: &str) -> String {
    let mut normalised = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(cr) = memchr(b'\r', rest.as_bytes()) {
        normalised.push_str(&rest[..cr]);
        normalised.push('\n');
        rest = &rest[cr + 1..];
        if let Some(after) = rest.strip_prefix('\n') {
            rest = after;
        }
    }
    normalised.push_str(rest);
    normalised
}

/// The line number given with every token: the tree builder only passes it on to the
/// sink, which does not keep it.
const LINE: u64 = 1;

struct Tokenizer<'a> {
    source: &'a str,
    /// The source again, as the tendril that texts and values are slices of.
    buffer: StrTendril,
    /// Where reading goes on.
    pos: usize,
    /// Text read but not yet given to the tree builder: `decoded`, then the source from
    /// `text_start` to wherever the text ends.
    text_start: usize,
    decoded: StrTendril,
    builder: Builder,
}

impl<'a> Tokenizer<'a> {
    fn new(source: &'a str, builder: Builder) -> Self {
        Tokenizer {
            source,
            buffer: StrTendril::from_slice(source),
            pos: 0,
            text_start: 0,
            decoded: StrTendril::new(),
            builder,
        }
    }

    fn bytes(&self) -> &'a [u8] {
        self.source.as_bytes()
    }

    /// The data state: text, character references and markup, to the end of input.
    fn run(&mut self) -> Result<(), Unusual> {
        while let Some(found) = memchr2(b'<', b'&', &self.bytes()[self.pos..]) {
            let at = self.pos + found;
            if self.bytes()[at] == b'&' {
                self.char_ref_in_text(at, self.source.len());
            } else {
                self.markup(at)?;
            }
        }
        self.flush_text(self.source.len());
        self.emit(Token::EOFToken);
        Ok(())
    }

    /// A reference in text: its characters join the text; an `&` that is none stays.
    fn char_ref_in_text(&mut self, at: usize, end: usize) {
        match char_ref::decode(&self.source[..end], at, false) {
            Some(decoded) => {
                let nothing_pending = self.decoded.is_empty() && self.text_start == at;
                if nothing_pending
                    && decoded.first == '\n'
                    && !self.source[..decoded.end].ends_with(';')
                {
                    // html5ever reports `&#10` without its `;` before its line feed, and
                    // so keeps the line feed that a `<pre>` just before would drop.
                    self.parse_error("a numeric reference without `;`");
                }
                self.decoded.push_slice(&self.source[self.text_start..at]);
                decoded.push_onto(&mut self.decoded);
                self.text_start = decoded.end;
                self.pos = decoded.end;
            }
            None => self.pos = at + 1,
        }
    }

    /// Gives the tree builder the text read up to `end`, if there is any.
    fn flush_text(&mut self, end: usize) {
        let text = if self.decoded.is_empty() {
            if end == self.text_start {
                return;
            }
            self.slice(self.text_start, end)
        } else {
            self.decoded.push_slice(&self.source[self.text_start..end]);
            std::mem::take(&mut self.decoded)
        };
        self.emit(Token::CharacterTokens(text));
    }

    /// The source from `start` to `end`, sharing the buffer.
    fn slice(&self, start: usize, end: usize) -> StrTendril {
        self.buffer.subtendril(start as u32, (end - start) as u32)
    }

    /// Gives the tree builder a token other than a tag (whose answer matters).
    fn emit(&self, token: Token) {
        // Texts, comments, doctypes and the end of input are always `Continue`.
        let _ = self.builder.process_token(token, LINE);
    }

    /// Tells the tree builder of an error html5ever's tokenizer reports where the report
    /// changes the tree: any token, a report too, ends the tree builder's wait for the
    /// line feed it drops after `<pre>`, `<listing>` or `<textarea>`.
    fn parse_error(&self, error: &'static str) {
        self.emit(Token::ParseError(error.into()));
    }

    /// Gives the tree builder a tag that ends at `end`, and reads what the tag's
    /// element holds when it is raw text (`<script>`, `<style>`, `<title>`...).
    fn emit_tag(&mut self, tag: Tag, end: usize) -> Result<(), Unusual> {
        let name = tag.name.clone();
        self.pos = end;
        self.text_start = end;
        match self.builder.process_token(Token::TagToken(tag), LINE) {
            TokenSinkResult::RawData(kind) => self.raw_text(kind, &name),
            TokenSinkResult::Plaintext => Err(Unusual("<plaintext>")),
            // A script that would run (there is no scripting here), or a `<meta>` naming
            // the encoding the page is already decoded from.
            TokenSinkResult::Continue
            | TokenSinkResult::Script(_)
            | TokenSinkResult::EncodingIndicator(_) => Ok(()),
        }
    }

    /// The text of a raw text element, up to its end tag, which is then read as a tag.
    fn raw_text(&mut self, kind: RawKind, name: &LocalName) -> Result<(), Unusual> {
        let start = self.pos;
        let end_tag = self
            .end_tag_from(start, name)
            .ok_or(Unusual("raw text without its end tag"))?;
        match kind {
            RawKind::Rcdata => {
                while let Some(found) = memchr(b'&', &self.bytes()[self.pos..end_tag]) {
                    self.char_ref_in_text(self.pos + found, end_tag);
                }
            }
            RawKind::Rawtext => {}
            RawKind::ScriptData => {
                if double_escapes(&self.source[start..end_tag]) {
                    return Err(Unusual("escaped script data"));
                }
            }
            RawKind::ScriptDataEscaped(_) => return Err(Unusual("escaped script data")),
        }
        self.flush_text(end_tag);
        // The end tag: `</` and a name the tokenizer reads as a tag's.
        let (tag, end) = self.tag(end_tag + 2, html5ever::tokenizer::EndTag)?;
        self.emit_tag(tag, end)
    }

    /// Where the raw text from `start` ends: the first `</name` (in any case) followed by
    /// white space, `/` or `>`.
    fn end_tag_from(&self, start: usize, name: &LocalName) -> Option<usize> {
        let bytes = self.bytes();
        let name = name.as_bytes();
        let mut from = start;
        while let Some(found) = memchr(b'<', &bytes[from..]) {
            let at = from + found;
            from = at + 1;
            let Some(after) = bytes.get(at + 1..) else {
                break;
            };
            if after.first() != Some(&b'/') {
                continue;
            }
            let Some(candidate) = after.get(1..1 + name.len()) else {
                break;
            };
            let ends = after.get(1 + name.len());
            if candidate.eq_ignore_ascii_case(name)
                && matches!(ends, Some(b'\t' | b'\n' | b'\x0c' | b' ' | b'/' | b'>'))
            {
                return Some(at);
            }
        }
        None
    }
}

/// Whether a script's text may hold a `<script` in an escaped `<!--` section, where a
/// `</script>` does not end the script: read then by html5ever's states.
fn double_escapes(script: &str) -> bool {
    let Some(open) = memchr::memmem::find(script.as_bytes(), b"<!--") else {
        return false;
    };
    script.as_bytes()[open..]
        .windows(7)
        .any(|window| window.eq_ignore_ascii_case(b"<script"))
}

/// The white space of tags: tab, line feed, form feed and space (carriage returns are
/// gone by now).
fn is_space(byte: u8) -> bool {
    matches!(byte, b'\t' | b'\n' | b'\x0c' | b' ')
}
