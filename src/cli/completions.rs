//! `alliance-audit completions SHELL` and `alliance-audit man`: a shell completion
//! script and a man page, generated from the clap definitions so they never drift from
//! the real flags.

use std::io::Write;

use clap::CommandFactory;

use super::{Cli, CliError};

/// The shells we write completions for.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum Shell {
    Bash,
    Zsh,
    Fish,
}

#[derive(Debug, clap::Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    shell: Shell,
}

#[derive(Debug, clap::Args)]
pub struct ManArgs {}

pub fn completions(args: CompletionsArgs) -> Result<(), CliError> {
    let mut command = Cli::command();
    let name = command.get_name().to_string();
    let mut out = std::io::stdout().lock();
    match args.shell {
        Shell::Bash => {
            clap_complete::generate(clap_complete::Shell::Bash, &mut command, name, &mut out)
        }
        Shell::Zsh => {
            clap_complete::generate(clap_complete::Shell::Zsh, &mut command, name, &mut out)
        }
        Shell::Fish => {
            clap_complete::generate(clap_complete::Shell::Fish, &mut command, name, &mut out)
        }
    }
    out.flush().map_err(CliError::failure)
}

/// One page: the top-level command, then a section per subcommand with its options.
pub fn man(_args: ManArgs) -> Result<(), CliError> {
    let command = Cli::command();
    let mut page = Vec::new();
    let man = clap_mangen::Man::new(command.clone());
    man.render_title(&mut page).map_err(CliError::failure)?;
    man.render_name_section(&mut page)
        .map_err(CliError::failure)?;
    man.render_synopsis_section(&mut page)
        .map_err(CliError::failure)?;
    man.render_description_section(&mut page)
        .map_err(CliError::failure)?;
    for sub in command.get_subcommands().filter(|sub| !sub.is_hide_set()) {
        let name = format!("{} {}", command.get_name(), sub.get_name());
        page.extend_from_slice(format!(".SH \"{}\"\n", name.to_uppercase()).as_bytes());
        let sub = sub.clone().bin_name(name);
        let sub_man = clap_mangen::Man::new(sub);
        sub_man
            .render_synopsis_section(&mut page)
            .map_err(CliError::failure)?;
        sub_man
            .render_description_section(&mut page)
            .map_err(CliError::failure)?;
        sub_man
            .render_options_section(&mut page)
            .map_err(CliError::failure)?;
    }
    man.render_version_section(&mut page)
        .map_err(CliError::failure)?;
    let mut out = std::io::stdout().lock();
    out.write_all(&page)
        .and_then(|()| out.flush())
        .map_err(CliError::failure)
}
