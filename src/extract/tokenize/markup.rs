//! What starts with `<`: tags, comments and the doctype.

use hashbrown::HashSet;
use html5ever::tendril::StrTendril;
use html5ever::tokenizer::{Doctype, EndTag, StartTag, Tag, TagKind, Token};
use html5ever::{ns, Attribute, LocalName, QualName};
use memchr::memchr;

use super::{char_ref, is_space, Tokenizer, Unusual};

impl Tokenizer<'_> {
    /// Reads the markup whose `<` is at `at`, or that `<` as text.
    pub(super) fn markup(&mut self, at: usize) -> Result<(), Unusual> {
        let bytes = self.bytes();
        match bytes.get(at + 1) {
            Some(byte) if byte.is_ascii_alphabetic() => {
                let (tag, end) = self.tag(at + 1, StartTag)?;
                self.flush_text(at);
                self.emit_tag(tag, end)
            }
            Some(b'/') => match bytes.get(at + 2) {
                Some(byte) if byte.is_ascii_alphabetic() => {
                    let (tag, end) = self.tag(at + 2, EndTag)?;
                    self.flush_text(at);
                    self.emit_tag(tag, end)
                }
                // `</>` is dropped, with an error report.
                Some(b'>') => {
                    self.flush_text(at);
                    self.parse_error("`</>`");
                    self.skip_to(at + 3);
                    Ok(())
                }
                _ => Err(Unusual("`</` not followed by a name")),
            },
            Some(b'!') => self.declaration(at),
            // `<?xml ...>`: a comment, `?` and all.
            Some(b'?') => self.bogus_comment(at, at + 1),
            // Any other `<` is text.
            _ => {
                self.pos = at + 1;
                Ok(())
            }
        }
    }

    /// Goes on reading at `pos`, after markup that gave the tree builder nothing.
    fn skip_to(&mut self, pos: usize) {
        self.pos = pos;
        self.text_start = pos;
    }

    /// `<!--`, `<!DOCTYPE` or some other `<!`.
    fn declaration(&mut self, at: usize) -> Result<(), Unusual> {
        let rest = &self.bytes()[at + 2..];
        if rest.starts_with(b"--") {
            self.comment(at)
        } else if rest.len() >= 7 && rest[..7].eq_ignore_ascii_case(b"doctype") {
            let (doctype, end) = self.doctype(at + 9)?;
            self.flush_text(at);
            self.emit(Token::DoctypeToken(doctype));
            self.skip_to(end);
            Ok(())
        } else if rest.starts_with(b"[CDATA[") {
            Err(Unusual("a CDATA section"))
        } else {
            self.bogus_comment(at, at + 2)
        }
    }

    /// `<!-- text -->`.
    fn comment(&mut self, at: usize) -> Result<(), Unusual> {
        let start = at + 4;
        let rest = &self.bytes()[start..];
        // `<!-->` and `<!--->` end at once.
        if rest.starts_with(b">") || rest.starts_with(b"->") {
            return Err(Unusual("an abruptly closed comment"));
        }
        let length =
            memchr::memmem::find(rest, b"-->").ok_or(Unusual("a comment without its end"))?;
        // `--!>` also ends a comment.
        if memchr::memmem::find(&rest[..length], b"--!").is_some() {
            return Err(Unusual("a comment with `--!`"));
        }
        let text = self.slice(start, start + length);
        self.flush_text(at);
        self.emit(Token::CommentToken(text));
        self.skip_to(start + length + 3);
        Ok(())
    }

    /// `<!...>` and `<?...>`: a comment of what is between `text_start` and the next `>`.
    fn bogus_comment(&mut self, at: usize, text_start: usize) -> Result<(), Unusual> {
        let length = memchr(b'>', &self.bytes()[text_start..])
            .ok_or(Unusual("a bogus comment without its end"))?;
        let text = self.slice(text_start, text_start + length);
        self.flush_text(at);
        self.emit(Token::CommentToken(text));
        self.skip_to(text_start + length + 1);
        Ok(())
    }

    /// The doctype after `<!DOCTYPE` (at `start`): a name, and public and system
    /// identifiers when they are written in the usual way.
    fn doctype(&self, start: usize) -> Result<(Doctype, usize), Unusual> {
        const IRREGULAR: Unusual = Unusual("an irregular doctype");
        let bytes = self.bytes();
        if !bytes.get(start).copied().is_some_and(is_space) {
            return Err(IRREGULAR);
        }
        let mut i = self.skip_spaces(start);
        let name_end = i + bytes[i..]
            .iter()
            .position(|&byte| is_space(byte) || byte == b'>')
            .ok_or(IRREGULAR)?;
        if name_end == i {
            return Err(IRREGULAR);
        }
        let mut doctype = Doctype {
            name: Some(StrTendril::from_slice(&lowercase(
                &self.source[i..name_end],
            ))),
            ..Doctype::default()
        };
        i = self.skip_spaces(name_end);
        if bytes.get(i) == Some(&b'>') {
            return Ok((doctype, i + 1));
        }
        let keyword = bytes.get(i..i + 6).ok_or(IRREGULAR)?;
        let public = keyword.eq_ignore_ascii_case(b"public");
        if !public && !keyword.eq_ignore_ascii_case(b"system") {
            return Err(IRREGULAR);
        }
        i += 6;
        if !bytes.get(i).copied().is_some_and(is_space) {
            return Err(IRREGULAR);
        }
        let (first, end) = self
            .quoted_identifier(self.skip_spaces(i))
            .ok_or(IRREGULAR)?;
        i = self.skip_spaces(end);
        if public {
            doctype.public_id = Some(first);
            if bytes.get(i) != Some(&b'>') {
                // The system identifier, after white space.
                if i == end {
                    return Err(IRREGULAR);
                }
                let (system, end) = self.quoted_identifier(i).ok_or(IRREGULAR)?;
                doctype.system_id = Some(system);
                i = self.skip_spaces(end);
            }
        } else {
            doctype.system_id = Some(first);
        }
        if bytes.get(i) != Some(&b'>') {
            return Err(IRREGULAR);
        }
        Ok((doctype, i + 1))
    }

    /// A doctype identifier in quotes at `at` that holds no `>`, and where it ends.
    fn quoted_identifier(&self, at: usize) -> Option<(StrTendril, usize)> {
        let bytes = self.bytes();
        let quote = *bytes.get(at)?;
        if quote != b'"' && quote != b'\'' {
            return None;
        }
        let length = memchr(quote, &bytes[at + 1..])?;
        let text = &self.source[at + 1..at + 1 + length];
        if text.contains('>') {
            return None;
        }
        Some((text.into(), at + length + 2))
    }

    fn skip_spaces(&self, mut i: usize) -> usize {
        let bytes = self.bytes();
        while bytes.get(i).copied().is_some_and(is_space) {
            i += 1;
        }
        i
    }

    /// The tag whose name starts at `start`, and where it ends (after its `>`).
    pub(super) fn tag(&self, start: usize, kind: TagKind) -> Result<(Tag, usize), Unusual> {
        const UNENDED: Unusual = Unusual("input ends inside a tag");
        let bytes = self.bytes();
        let name_end = start
            + bytes[start..]
                .iter()
                .position(|&byte| is_space(byte) || byte == b'/' || byte == b'>')
                .ok_or(UNENDED)?;
        let mut tag = Tag {
            kind,
            name: LocalName::from(lowercase(&self.source[start..name_end])),
            self_closing: false,
            attrs: Vec::new(),
            had_duplicate_attributes: false,
        };
        let mut i = name_end;
        let mut names = AttributeNames::default();
        loop {
            i = self.skip_spaces(i);
            match bytes.get(i) {
                None => return Err(UNENDED),
                Some(b'>') => return Ok((tag, i + 1)),
                Some(b'/') => {
                    if bytes.get(i + 1) == Some(&b'>') {
                        tag.self_closing = true;
                        return Ok((tag, i + 2));
                    }
                    // A `/` inside a tag is dropped.
                    i += 1;
                    continue;
                }
                Some(b'=') => return Err(Unusual("an attribute name that starts with `=`")),
                Some(_) => {}
            }
            let name_start = i;
            i += bytes[i..]
                .iter()
                .position(|&byte| is_space(byte) || matches!(byte, b'/' | b'>' | b'='))
                .ok_or(UNENDED)?;
            let name = LocalName::from(lowercase(&self.source[name_start..i]));
            i = self.skip_spaces(i);
            let mut value = StrTendril::new();
            if bytes.get(i) == Some(&b'=') {
                i = self.skip_spaces(i + 1);
                match bytes.get(i) {
                    None => return Err(UNENDED),
                    Some(&quote @ (b'"' | b'\'')) => {
                        let length = memchr(quote, &bytes[i + 1..]).ok_or(UNENDED)?;
                        value = self.attribute_value(i + 1, i + 1 + length);
                        i += length + 2;
                    }
                    // `<a href=>`: an empty value.
                    Some(b'>') => {}
                    Some(_) => {
                        let length = bytes[i..]
                            .iter()
                            .position(|&byte| is_space(byte) || byte == b'>')
                            .ok_or(UNENDED)?;
                        value = self.attribute_value(i, i + length);
                        i += length;
                    }
                }
            }
            if names.repeats(&tag.attrs, &name) {
                // The first of two attributes of one name is the one kept.
                tag.had_duplicate_attributes = true;
            } else {
                tag.attrs.push(Attribute {
                    name: QualName::new(None, ns!(), name),
                    value,
                });
            }
        }
    }

    /// An attribute's value from `start` to `end`, its references decoded.
    fn attribute_value(&self, start: usize, end: usize) -> StrTendril {
        let source = &self.source[..end];
        let Some(first) = memchr(b'&', &source.as_bytes()[start..]) else {
            return self.slice(start, end);
        };
        let mut value = StrTendril::new();
        let mut copied = start;
        let mut at = start + first;
        loop {
            if let Some(decoded) = char_ref::decode(source, at, true) {
                value.push_slice(&source[copied..at]);
                decoded.push_onto(&mut value);
                copied = decoded.end;
            }
            let from = (at + 1).max(copied);
            match memchr(b'&', &source.as_bytes()[from..]) {
                Some(found) => at = from + found,
                None => break,
            }
        }
        value.push_slice(&source[copied..]);
        value
    }
}

/// The attribute names a tag has so far, to drop a repeated one: a look through the
/// few attributes of most tags, a set once there are many (a hostile page's tag with a
/// hundred thousand would otherwise cost their square).
#[derive(Default)]
struct AttributeNames(Option<HashSet<LocalName>>);

/// How many attributes are looked through before a set is built.
const ATTRIBUTES_SCANNED: usize = 16;

impl AttributeNames {
    /// Whether `name` is among `attrs` (the tag's so far); remembers it.
    fn repeats(&mut self, attrs: &[Attribute], name: &LocalName) -> bool {
        if attrs.len() < ATTRIBUTES_SCANNED {
            return attrs.iter().any(|attr| attr.name.local == *name);
        }
        let set = self
            .0
            .get_or_insert_with(|| attrs.iter().map(|attr| attr.name.local.clone()).collect());
        !set.insert(name.clone())
    }
}

/// `name` with ASCII capitals lowered, as tag, attribute and doctype names are; borrowed
/// when it has none (most names).
fn lowercase(name: &str) -> std::borrow::Cow<'_, str> {
    if name.bytes().any(|byte| byte.is_ascii_uppercase()) {
        std::borrow::Cow::Owned(name.to_ascii_lowercase())
    } else {
        std::borrow::Cow::Borrowed(name)
    }
}
