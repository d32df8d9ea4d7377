//! The binary's exit codes and output.

use std::process::Command;

fn linmod() -> Command {
    Command::new(env!("CARGO_BIN_EXE_linmod"))
}

#[test]
fn no_arguments_print_the_version_and_the_subcommands() {
    let out = linmod().output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.starts_with(&format!("linmod {}", env!("CARGO_PKG_VERSION"))),
        "{text}"
    );
    assert!(text.contains("version"), "{text}");
}

#[test]
fn unknown_subcommands_are_usage_errors() {
    let out = linmod().arg("frobnicate").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("frobnicate"), "{err}");
}
