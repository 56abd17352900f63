//! Lower case for the questions asked of every menu label, made on the stack for
//! short text: a label is asked several of them.

/// Calls `ask` with `text` lowercased: on the stack when it is short ASCII, as most
/// menu labels are.
pub fn with_lowercase<R>(text: &str, ask: impl FnOnce(&str) -> R) -> R {
    let mut buf = [0u8; 64];
    match buf.get_mut(..text.len()) {
        Some(lower) if text.is_ascii() => {
            lower.copy_from_slice(text.as_bytes());
            lower.make_ascii_lowercase();
            ask(std::str::from_utf8(lower).expect("ASCII stays UTF-8"))
        }
        _ => ask(&text.to_lowercase()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lowercase_on_the_stack_or_not_is_the_same() {
        let long = "Bibliothèque ".repeat(10);
        for text in [
            "",
            "About LERU",
            "ÉCOLE",
            "Straße",
            long.as_str(),
            &"X".repeat(64),
            &"Y".repeat(65),
        ] {
            assert_eq!(
                with_lowercase(text, str::to_string),
                text.to_lowercase(),
                "{text}"
            );
        }
    }
}
