//! What the readers of every kind share: the text being written, bounded, and the
//! Dublin Core title of an XML metadata packet (PDF's XMP, DOCX's `core.xml`, ODT's
//! `meta.xml`).

use quick_xml::events::Event;

use super::MAX_TEXT_BYTES;

/// The first `rdf:li` (or the text) inside `dc:title` of an XML metadata packet,
/// whitespace collapsed; a blank title is none.
pub(super) fn dc_title(xml: &[u8]) -> Option<String> {
    let mut reader = quick_xml::Reader::from_reader(xml);
    let mut buffer = Vec::new();
    let mut in_title = false;
    let mut title = String::new();
    loop {
        match reader.read_event_into(&mut buffer).ok()? {
            Event::Start(start) if start.name().as_ref() == "dc:title" => in_title = true,
            Event::End(end)
                if in_title && end.name().as_ref() == "rdf:li" && !title.trim().is_empty() =>
            {
                return Some(title);
            }
            Event::End(end) if end.name().as_ref() == "dc:title" => {
                return Some(title).filter(|title| !title.trim().is_empty());
            }
            Event::Text(chunk) if in_title => title.push_str(&chunk.xml10_content()),
            Event::CData(chunk) if in_title => title.push_str(&chunk.xml10_content()),
            Event::GeneralRef(reference) if in_title => {
                if let Ok(Some(character)) = reference.resolve_char_ref() {
                    title.push(character);
                } else if let Some(text) = quick_xml::escape::resolve_predefined_entity(&reference)
                {
                    title.push_str(text);
                }
            }
            Event::Eof => return None,
            _ => {}
        }
        buffer.clear();
    }
}

pub(super) fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The text being written: spaces and line breaks never doubled, at most
/// [`MAX_TEXT_BYTES`].
#[derive(Default)]
pub(super) struct TextSink {
    text: String,
    full: bool,
}

impl TextSink {
    pub(super) fn full(&self) -> bool {
        self.full
    }

    pub(super) fn push(&mut self, string: &str) {
        for character in string.chars() {
            if self.full {
                return;
            }
            match character {
                '\n' | '\r' => self.line_break(),
                character if character.is_whitespace() => self.space(),
                character if character.is_control() => {}
                // Typographic ligatures, which detection would not match as letters.
                '\u{FB00}' => self.push_str("ff"),
                '\u{FB01}' => self.push_str("fi"),
                '\u{FB02}' => self.push_str("fl"),
                '\u{FB03}' => self.push_str("ffi"),
                '\u{FB04}' => self.push_str("ffl"),
                '\u{FB05}' | '\u{FB06}' => self.push_str("st"),
                character => self.push_char(character),
            }
        }
    }

    fn push_str(&mut self, ascii: &str) {
        ascii
            .chars()
            .for_each(|character| self.push_char(character));
    }

    fn push_char(&mut self, character: char) {
        if self.text.len() + character.len_utf8() > MAX_TEXT_BYTES {
            self.full = true;
        } else {
            self.text.push(character);
        }
    }

    pub(super) fn space(&mut self) {
        if !self.text.is_empty() && !self.text.ends_with([' ', '\n']) {
            self.push_char(' ');
        }
    }

    pub(super) fn line_break(&mut self) {
        if self.text.ends_with(' ') {
            self.text.pop();
        }
        if !self.text.is_empty() && !self.text.ends_with('\n') {
            self.push_char('\n');
        }
    }

    pub(super) fn page_break(&mut self) {
        self.line_break();
        if !self.text.is_empty() && !self.text.ends_with("\n\n") {
            self.push_char('\n');
        }
    }

    pub(super) fn finish(self) -> String {
        self.text.trim_end().to_string()
    }
}
