fn main() -> std::process::ExitCode {
    alliance_audit::cli::run()
}
