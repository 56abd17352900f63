//! A small HTML builder that remembers every link it writes, so the generator knows
//! the site's link graph (and each page's click depth) without parsing its own output.

/// Escapes text for an HTML text node or a double-quoted attribute.
pub fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    esc_into(&mut out, text);
    out
}

/// [`esc`], appending to `out`.
pub fn esc_into(out: &mut String, text: &str) {
    if !text.contains(['&', '<', '>', '"']) {
        out.push_str(text);
        return;
    }
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            _ => out.push(c),
        }
    }
}

/// Markup under construction, with the root-relative hrefs of its links in order.
#[derive(Debug, Default, Clone)]
pub struct Doc {
    pub html: String,
    pub links: Vec<String>,
}

impl Doc {
    pub fn new() -> Doc {
        Doc::default()
    }

    /// Markup as it stands (no links in it).
    pub fn raw(&mut self, markup: &str) -> &mut Doc {
        self.html.push_str(markup);
        self
    }

    /// Escaped text.
    pub fn text(&mut self, text: &str) -> &mut Doc {
        esc_into(&mut self.html, text);
        self
    }

    /// `<a href="href">label</a>`.
    pub fn a(&mut self, href: &str, label: &str) -> &mut Doc {
        self.a_with(href, "", label)
    }

    /// `<a href="href" ATTRS>label</a>` (`attrs` is markup, e.g. `class="x"`).
    pub fn a_with(&mut self, href: &str, attrs: &str, label: &str) -> &mut Doc {
        self.html.push_str("<a href=\"");
        esc_into(&mut self.html, href);
        self.html.push('"');
        if !attrs.is_empty() {
            self.html.push(' ');
            self.html.push_str(attrs);
        }
        self.html.push('>');
        esc_into(&mut self.html, label);
        self.html.push_str("</a>");
        self.links.push(href.to_string());
        self
    }

    /// `<tag>text</tag>`, escaped.
    pub fn el(&mut self, tag: &str, text: &str) -> &mut Doc {
        self.html.push('<');
        self.html.push_str(tag);
        self.html.push('>');
        esc_into(&mut self.html, text);
        self.html.push_str("</");
        self.html.push_str(tag.split(' ').next().unwrap_or(tag));
        self.html.push('>');
        self
    }

    /// `<p>text</p>` for each paragraph.
    pub fn paras<S: AsRef<str>>(&mut self, paragraphs: &[S]) -> &mut Doc {
        for p in paragraphs {
            self.el("p", p.as_ref());
        }
        self
    }

    /// Appends another piece, links included.
    pub fn push(&mut self, other: &Doc) -> &mut Doc {
        self.html.push_str(&other.html);
        self.links.extend(other.links.iter().cloned());
        self
    }

    /// `<ul class="class"><li><a>..</a></li>..</ul>`.
    pub fn link_list(&mut self, class: &str, items: &[(String, String)]) -> &mut Doc {
        self.raw(&format!("<ul class=\"{class}\">"));
        for (label, href) in items {
            self.raw("<li>");
            self.a(href, label);
            self.raw("</li>");
        }
        self.raw("</ul>");
        self
    }
}
