//! The labels menu decisions rest on: utility links, home links, languages and social
//! networks, in the alliances' languages (the class and id markers are in
//! `markers`). Kept apart so the rules in `find`, `items` and `classify` read as rules.

use std::sync::LazyLock;

use hashbrown::HashMap;

use super::super::dom::{trim, with_lowercase};
use super::super::marker_set::MarkerSet;

/// Labels of links that serve the visitor's session or the page, not the site's
/// sections: account, search, subscription, accessibility, a menu toggle. Matched on
/// the whole lowercased label, or as its start when followed by a space or nothing.
const UTILITY_LABELS: &[&str] = &[
    "login",
    "log in",
    "log-in",
    "log out",
    "logout",
    "sign in",
    "sign up",
    "sign out",
    "signin",
    "register",
    "my account",
    "account",
    "create account",
    "not logged in",
    "forgot your password",
    "subscribe",
    "subscriptions",
    "upgrade to premium",
    "contribute",
    "donate",
    "get updates",
    "become a member",
    "renew",
    "search",
    "suche",
    "suchbegriff",
    "sucheoeffnen",
    "recherche",
    "rechercher",
    "buscar",
    "cerca",
    "szukaj",
    "zoeken",
    "sök",
    "haku",
    "show more",
    "menu",
    "menü",
    "close",
    "schließen",
    "anmelden",
    "abmelden",
    "registrieren",
    "mein konto",
    "abonnieren",
    "se connecter",
    "se déconnecter",
    "s'inscrire",
    "connexion",
    "abonnement",
    "mon compte",
    "iniciar sesión",
    "accedi",
    "entrar",
    "zaloguj",
    "wyloguj",
    "logga in",
    "kirjaudu",
    "inloggen",
    "leichte sprache",
    "gebärdensprache",
    "accessibility",
    "barrierefreiheit",
    "sprache",
    "language",
    "langue",
    "press room",
    "一键登录",
    "登录",
    "注册",
    "收藏",
    "ログイン",
];

/// Names of social networks and feeds, for the links of a "follow us" block.
const SOCIAL_LABELS: &[&str] = &[
    "facebook",
    "twitter",
    "instagram",
    "youtube",
    "you tube",
    "linkedin",
    "xing",
    "mastodon",
    "flickr",
    "tiktok",
    "pinterest",
    "tumblr",
    "soundcloud",
    "diaspora",
    "whatsapp",
    "telegram",
    "rss",
    "google+",
    "weibo",
    "微博",
    "qzone",
    "qq邮箱",
];

/// Languages as a language switch names them, in their own language, and their codes.
const LANGUAGE_LABELS: &[&str] = &[
    "english",
    "deutsch",
    "français",
    "francais",
    "español",
    "espanol",
    "italiano",
    "nederlands",
    "polski",
    "svenska",
    "suomi",
    "dansk",
    "norsk",
    "português",
    "čeština",
    "magyar",
    "русский",
    "中文",
    "日本語",
    "한국어",
    "العربية",
    "türkçe",
    "ελληνικά",
    "eesti",
    "latviešu",
    "lietuvių",
    "slovenščina",
    "hrvatski",
    "română",
    "català",
    "en",
    "de",
    "fr",
    "it",
    "es",
    "nl",
    "pl",
    "sv",
    "fi",
    "da",
    "no",
    "nb",
    "pt",
    "cs",
    "hu",
    "ru",
    "zh",
    "ja",
    "ko",
    "ar",
    "tr",
    "el",
    "et",
    "lv",
    "lt",
    "sl",
    "hr",
    "ro",
    "ca",
    "rm",
];

/// Labels of a link to the site's home page, kept as a menu item even when it is an
/// icon labelled only by `alt`, `aria-label` or `title`.
const HOME_LABELS: &[&str] = &[
    "home",
    "homepage",
    "home page",
    "start",
    "startseite",
    "accueil",
    "inicio",
    "início",
    "etusivu",
    "hem",
    "startsida",
    "forside",
    "hjem",
    "strona główna",
    "home-pagina",
    "首页",
    "トップ",
];

/// What a lowercased label is known as, by the lists above: one look-up for all.
#[derive(Clone, Copy, Default)]
struct Known {
    utility: bool,
    language: bool,
    social: bool,
    service: bool,
}

static KNOWN: LazyLock<HashMap<&'static str, Known>> = LazyLock::new(|| {
    let mut known: HashMap<&'static str, Known> = HashMap::new();
    for label in UTILITY_LABELS {
        known.entry(label).or_default().utility = true;
    }
    for label in LANGUAGE_LABELS {
        known.entry(label).or_default().language = true;
    }
    for label in SOCIAL_LABELS {
        known.entry(label).or_default().social = true;
    }
    for label in SERVICE_LABELS {
        known.entry(label).or_default().service = true;
    }
    known
});

fn known(lower: &str) -> Known {
    KNOWN.get(lower).copied().unwrap_or_default()
}

/// Whether `lower` starts with a utility label followed by a space, `:`, `/` or `(`:
/// a look-up per such cut instead of a scan of the list. (The cuts are ASCII, so each
/// is a char boundary.)
fn starts_with_utility(lower: &str) -> bool {
    lower
        .bytes()
        .enumerate()
        .filter(|&(_, byte)| matches!(byte, b' ' | b':' | b'/' | b'('))
        .any(|(i, _)| known(&lower[..i]).utility)
}

/// Words that make a label an account link wherever they stand in it.
static ACCOUNT: LazyLock<MarkerSet> =
    LazyLock::new(|| MarkerSet::new(&["password", "log in", "login"]));

/// A link for the visitor's session or the page (log in, search, subscribe, a
/// language, a social network), not one of the site's sections.
pub fn is_utility_label(label: &str) -> bool {
    with_lowercase(trim(label), is_utility_lower)
}

/// How a label serves: the visitor's session, the site's service pages, or neither
/// (most labels: a section of the site). One lowercasing for both questions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Utility,
    Service,
    Section,
}

pub fn label_role(label: &str) -> Role {
    let label = trim(label);
    // Utility and service labels are short; a long label is a section (or a headline).
    if label.len() > 48 && !label.contains("password") && !label.contains("log") {
        return Role::Section;
    }
    with_lowercase(label, |lower| {
        let known = known(lower);
        if is_utility_known(lower, known) {
            Role::Utility
        } else if known.service {
            Role::Service
        } else {
            Role::Section
        }
    })
}

fn is_utility_lower(lower: &str) -> bool {
    is_utility_known(lower, known(lower))
}

/// [`is_utility_lower`] with the label looked up already.
fn is_utility_known(lower: &str, known: Known) -> bool {
    known.utility
        || known.language
        || known.social
        || starts_with_utility(lower)
        || ACCOUNT.found_in(lower)
        || is_region_edition(lower)
}

/// "US edition", "UK Edition": a switch to another edition of a news site (not "Daily
/// Edition", a section).
fn is_region_edition(lower: &str) -> bool {
    lower.strip_suffix(" edition").is_some_and(|region| {
        matches!(
            region,
            "us" | "uk" | "international" | "europe" | "asia" | "australia" | "global"
        )
    })
}

/// Labels of the site's service pages (press, contact, legal, jobs): at home in a
/// main menu's end, but a block of mostly these is a service bar.
const SERVICE_LABELS: &[&str] = &[
    "press",
    "presse",
    "press room",
    "contact",
    "contact us",
    "kontakt",
    "impressum",
    "imprint",
    "sitemap",
    "site map",
    "datenschutz",
    "privacy",
    "faq",
    "help",
    "hilfe",
    "newsletter",
    "jobs",
    "karriere",
    "careers",
    "stadtplan",
    "fahrplan",
    "nous contacter",
    "recevoir nos infos",
    "adhérer",
    "faire un don",
    "espace membres",
    "mentions légales",
];

pub fn is_language_label(label: &str) -> bool {
    with_lowercase(trim(label), |lower| known(lower).language)
}

/// "Home", "Startseite", "首页": the label of a home link.
pub fn is_home_label(label: &str) -> bool {
    with_lowercase(trim(label), |lower| HOME_LABELS.contains(&lower))
}

/// A menu named only "Navigation" (MediaWiki's main portal, many old sites) is the
/// site's menu; "Footer navigation" or "Sub navigation" are not, hence equality.
pub fn is_site_navigation_name(label: &str) -> bool {
    with_lowercase(trim(label), |lower| {
        [
            "navigation",
            "site navigation",
            "site menu",
            "navigation principale",
            "main",
        ]
        .contains(&lower)
    })
}
