use super::*;

#[test]
fn links_to_other_hosts_are_external() {
    let site = Some("www.ox.ac.uk");
    assert!(!is_external("https://ox.ac.uk/about/", site));
    assert!(!is_external("https://www.bodleian.ox.ac.uk/", site));
    assert!(!is_external("/relative/", site));
    assert!(is_external("https://www.cam.ac.uk/", site));
    assert!(is_external("https://twitter.com/uniofoxford", site));
    assert!(!is_external("https://elsewhere.example/", None));
}

#[test]
fn words_of_labels_in_scripts_without_spaces() {
    assert_eq!(label_words("Research"), 1);
    assert_eq!(label_words("News & events"), 3);
    assert_eq!(label_words("新闻"), 2);
    assert!(label_words("想想童乞的遭遇，谁都会坐立不安") > 4);
}

#[test]
fn first_segments_name_sections() {
    assert_eq!(first_segment("https://a.org/about/team/"), "about");
    assert_eq!(first_segment("/news?page=2"), "news");
    assert_eq!(first_segment("https://a.org"), "");
}
