//! Shell completions and the man page, generated from the clap definitions (issue 14).

use std::process::{Command, Output};

fn alliance_audit(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_alliance-audit"))
        .args(args)
        .output()
        .expect("the binary runs")
}

/// The visible subcommands, as `--help` lists them.
fn subcommands() -> Vec<String> {
    let help = String::from_utf8(alliance_audit(&["--help"]).stdout).unwrap();
    let commands: Vec<String> = help
        .lines()
        .skip_while(|line| !line.starts_with("Commands:"))
        .skip(1)
        .take_while(|line| !line.trim().is_empty())
        // A command's line is indented by two; wrapped descriptions by more.
        .filter(|line| line.starts_with("  ") && !line.starts_with("   "))
        .filter_map(|line| line.split_whitespace().next())
        .filter(|name| *name != "help" && name.chars().all(|c| c.is_ascii_lowercase() || c == '-'))
        .map(str::to_string)
        .collect();
    assert!(commands.contains(&"robots".to_string()), "{help}");
    commands
}

#[test]
fn completions_cover_every_subcommand_for_each_shell() {
    let commands = subcommands();
    for (shell, marker) in [
        ("bash", "complete -F _alliance__audit"),
        ("zsh", "#compdef alliance-audit"),
        ("fish", "complete -c alliance-audit"),
    ] {
        let output = alliance_audit(&["completions", shell]);
        assert!(output.status.success(), "{shell}");
        let script = String::from_utf8(output.stdout).unwrap();
        assert!(script.contains(marker), "{shell}: no {marker:?}");
        for command in &commands {
            assert!(script.contains(command.as_str()), "{shell}: no {command}");
        }
        assert!(script.contains("agent"), "{shell}: robots' --agent");
    }
    // bash can read what we wrote.
    let script = alliance_audit(&["completions", "bash"]).stdout;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("alliance-audit.bash");
    std::fs::write(&path, script).unwrap();
    if let Ok(status) = Command::new("bash").arg("-n").arg(&path).status() {
        assert!(status.success(), "bash -n refused the completion script");
    }
    // An unknown shell is a usage error.
    assert_eq!(
        alliance_audit(&["completions", "tcsh"]).status.code(),
        Some(2)
    );
}

#[test]
fn man_page_has_a_section_per_subcommand() {
    let output = alliance_audit(&["man"]);
    assert!(output.status.success());
    let page = String::from_utf8(output.stdout).unwrap();
    assert!(
        page.starts_with(".ie") || page.starts_with(".TH"),
        "{}",
        &page[..80]
    );
    assert!(page.contains(".TH alliance-audit 1"));
    for command in subcommands() {
        let header = format!(".SH \"ALLIANCE-AUDIT {}\"", command.to_uppercase());
        assert!(page.contains(&header), "no {header}");
    }
    // The hidden helper is not documented.
    assert!(!page.contains("READ-DOCUMENT"));
    assert!(page.contains("\\-\\-agent"), "robots' --agent is described");
}
