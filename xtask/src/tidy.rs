//! `cargo xtask tidy`: the architecture invariants of `docs/architecture.md` that a program can
//! check, checked on the source tree (no build needed).
//!
//! 1. Only `linalg-core` names `faer` in its `Cargo.toml` (one place pins the version).
//! 2. Dependencies point one way: `optim` depends on no other linmod crate but `linalg-core`,
//!    `datasets` on none but `linalg-core`, `models` has `datasets` as a dev-dependency at most.
//! 3. The CLI calls no numerical kernel below the models' public API.
//! 4. No file of a crate imports a module that imports it back.
//! 5. Every function, type and file `docs/math.md` cites exists.
//! 6. No public identifier names the course: the tour tells its story, the API names what
//!    things are.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use crate::cmd::workspace_root;

/// Library crates: directory under `crates/` and the name their code uses for them.
const LIBRARIES: [(&str, &str); 4] = [
    ("linalg-core", "linalg_core"),
    ("optim", "optim"),
    ("datasets", "datasets"),
    ("models", "models"),
];

/// Kernels and numerical internals the CLI must reach only through the models' public API.
const KERNELS: [&str; 14] = [
    "fused_gradient",
    "fused_value",
    "weighted_gram",
    "gram_matrix",
    "mul_xw",
    "mul_xtr",
    "matmul",
    "Cholesky",
    "lstsq",
    "PassScratch",
    "GramScratch",
    "LinearObjective",
    "LogisticObjective",
    "value_and_gradient",
];

pub fn run(args: &[String]) -> Result<()> {
    if let Some(extra) = args.first() {
        bail!("`cargo xtask tidy` takes no arguments (got `{extra}`)");
    }
    let root = workspace_root();
    let mut problems = Vec::new();
    faer_only_in_linalg_core(&root, &mut problems)?;
    layering(&root, &mut problems)?;
    cli_uses_no_kernels(&root, &mut problems)?;
    no_import_cycles(&root, &mut problems)?;
    math_citations_exist(&root, &mut problems)?;
    no_course_identifiers(&root, &mut problems)?;
    if problems.is_empty() {
        eprintln!("tidy: every checked invariant holds");
        Ok(())
    } else {
        for p in &problems {
            eprintln!("tidy: {p}");
        }
        bail!("{} architecture invariant(s) violated", problems.len())
    }
}

/// Every `.rs` file below `dir`.
fn rust_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d).with_context(|| format!("reading {}", d.display()))? {
            let path = entry?.path();
            if path.is_dir() {
                if path.file_name().is_some_and(|n| n != "target") {
                    stack.push(path);
                }
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    out.sort();
    Ok(out)
}

fn read(path: &Path) -> Result<String> {
    fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))
}

/// The crate directories under `crates/`.
fn crate_dirs(root: &Path) -> Result<Vec<PathBuf>> {
    let mut dirs: Vec<PathBuf> = fs::read_dir(root.join("crates"))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("Cargo.toml").is_file())
        .collect();
    dirs.sort();
    Ok(dirs)
}

/// The dependency names of one section (`[dependencies]`, `[dev-dependencies]`) of a manifest.
fn section_dependencies(manifest: &str, section: &str) -> BTreeSet<String> {
    let mut deps = BTreeSet::new();
    let mut inside = false;
    for line in manifest.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            inside = line == format!("[{section}]");
            continue;
        }
        if inside && let Some((name, _)) = line.split_once('=') {
            let name = name.trim();
            if !name.is_empty() && !name.starts_with('#') {
                deps.insert(name.to_string());
            }
        }
    }
    deps
}

fn faer_only_in_linalg_core(root: &Path, problems: &mut Vec<String>) -> Result<()> {
    for dir in crate_dirs(root)? {
        if dir.ends_with("linalg-core") {
            continue;
        }
        let manifest = read(&dir.join("Cargo.toml"))?;
        for section in ["dependencies", "dev-dependencies"] {
            if section_dependencies(&manifest, section)
                .iter()
                .any(|d| d.starts_with("faer"))
            {
                problems.push(format!(
                    "{}/Cargo.toml names faer: only linalg-core may (use its re-exports)",
                    dir.display()
                ));
            }
        }
    }
    Ok(())
}

fn layering(root: &Path, problems: &mut Vec<String>) -> Result<()> {
    let allowed: BTreeMap<&str, &[&str]> = BTreeMap::from([
        ("linalg-core", &[][..]),
        ("optim", &["linalg-core"][..]),
        ("datasets", &["linalg-core"][..]),
        ("models", &["linalg-core", "optim"][..]),
    ]);
    for (dir, ok) in allowed {
        let manifest = read(&root.join("crates").join(dir).join("Cargo.toml"))?;
        let deps = section_dependencies(&manifest, "dependencies");
        for (other, _) in LIBRARIES {
            if other != dir && deps.contains(other) && !ok.contains(&other) {
                problems.push(format!(
                    "crates/{dir} depends on {other}: dependencies point one way only \
                     (docs/architecture.md)"
                ));
            }
        }
    }
    Ok(())
}

/// True when `word` occurs in `line` as a whole identifier.
fn has_identifier(line: &str, word: &str) -> bool {
    line.match_indices(word).any(|(i, _)| {
        let before = line[..i].chars().next_back();
        let after = line[i + word.len()..].chars().next();
        let ident = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
        !ident(before) && !ident(after)
    })
}

/// The code of a line: nothing after `//`.
fn code_of(line: &str) -> &str {
    line.split_once("//").map_or(line, |(code, _)| code)
}

fn cli_uses_no_kernels(root: &Path, problems: &mut Vec<String>) -> Result<()> {
    for file in rust_files(&root.join("crates/cli/src"))? {
        let text = read(&file)?;
        for (no, line) in text.lines().enumerate() {
            let code = code_of(line);
            for k in KERNELS {
                if has_identifier(code, k) {
                    problems.push(format!(
                        "{}:{}: the CLI calls `{k}`: numerics belong below the models' public \
                         API",
                        file.display(),
                        no + 1
                    ));
                }
            }
        }
    }
    Ok(())
}

/// The module path (`a::b`) of a source file of a crate rooted at `src`.
fn module_of(src: &Path, file: &Path) -> Option<String> {
    let rel = file.strip_prefix(src).ok()?;
    let mut parts: Vec<String> = rel
        .iter()
        .map(|p| p.to_string_lossy().trim_end_matches(".rs").to_string())
        .collect();
    if parts
        .last()
        .is_some_and(|l| l == "mod" || l == "lib" || l == "main")
    {
        parts.pop();
    }
    Some(parts.join("::"))
}

/// The modules a file imports with `use crate::...` (each prefix that is a module of the
/// crate, longest first).
fn imported_modules(text: &str, modules: &BTreeSet<String>) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for line in text.lines() {
        let code = code_of(line).trim();
        let Some(rest) = code
            .strip_prefix("use crate::")
            .or_else(|| code.strip_prefix("pub(crate) use crate::"))
        else {
            continue;
        };
        let path: Vec<&str> = rest
            .split(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
            .next()
            .unwrap_or("")
            .split("::")
            .filter(|s| !s.is_empty())
            .collect();
        for len in (1..=path.len()).rev() {
            let m = path[..len].join("::");
            if modules.contains(&m) {
                out.insert(m);
                break;
            }
        }
    }
    out
}

fn no_import_cycles(root: &Path, problems: &mut Vec<String>) -> Result<()> {
    for dir in crate_dirs(root)? {
        let src = dir.join("src");
        if !src.is_dir() {
            continue;
        }
        let files = rust_files(&src)?;
        let modules: BTreeMap<String, PathBuf> = files
            .iter()
            .filter_map(|f| module_of(&src, f).map(|m| (m, f.clone())))
            .collect();
        let names: BTreeSet<String> = modules.keys().cloned().collect();
        let imports: BTreeMap<&String, BTreeSet<String>> = modules
            .iter()
            .map(|(m, f)| Ok((m, imported_modules(&read(f)?, &names))))
            .collect::<Result<_>>()?;
        for (a, uses) in &imports {
            for b in uses {
                // a module may use its own children; a cycle is two files using each other
                let nested = b.starts_with(&format!("{a}::")) || a.starts_with(&format!("{b}::"));
                if a.as_str() < b.as_str()
                    && !nested
                    && imports.get(b).is_some_and(|back| back.contains(*a))
                {
                    problems.push(format!(
                        "{}: `{a}` and `{b}` import each other",
                        dir.display()
                    ));
                }
            }
        }
    }
    Ok(())
}

/// Identifiers defined anywhere in the library crates: items (`fn`, `struct`, `enum`,
/// `trait`, `type`, `const`, `mod`) and enum variants (a capitalized name opening a line and
/// followed by `,`, `(`, `{` or `=`).
fn defined_identifiers(root: &Path) -> Result<BTreeSet<String>> {
    let mut out = BTreeSet::new();
    for (dir, _) in LIBRARIES {
        for file in rust_files(&root.join("crates").join(dir).join("src"))? {
            for line in read(&file)?.lines() {
                let code = code_of(line);
                let variant: String = code
                    .trim_start()
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                let after = code.trim_start()[variant.len()..].trim_start();
                if variant.chars().next().is_some_and(char::is_uppercase)
                    && (after.is_empty() || after.starts_with([',', '(', '{', '=']))
                {
                    out.insert(variant);
                }
                for kw in [
                    "fn ", "struct ", "enum ", "trait ", "type ", "const ", "mod ",
                ] {
                    for (i, _) in code.match_indices(kw) {
                        let before = code[..i].chars().next_back();
                        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                            continue;
                        }
                        let name: String = code[i + kw.len()..]
                            .chars()
                            .take_while(|c| c.is_alphanumeric() || *c == '_')
                            .collect();
                        if !name.is_empty() {
                            out.insert(name);
                        }
                    }
                }
            }
        }
    }
    Ok(out)
}

fn math_citations_exist(root: &Path, problems: &mut Vec<String>) -> Result<()> {
    let doc = read(&root.join("docs/math.md"))?;
    let defined = defined_identifiers(root)?;
    let crates: BTreeSet<&str> = LIBRARIES.iter().map(|(_, c)| *c).collect();
    for (no, line) in doc.lines().enumerate() {
        for (i, span) in line.split('`').enumerate() {
            if i % 2 == 0 {
                continue; // outside backticks
            }
            let cite = span.trim().trim_end_matches("()");
            if cite.starts_with("crates/") && cite.ends_with(".rs") {
                if !root.join(cite).is_file() {
                    problems.push(format!("docs/math.md:{}: no file `{cite}`", no + 1));
                }
                continue;
            }
            let segments: Vec<&str> = cite.split("::").collect();
            let qualified = segments.len() >= 2
                && segments
                    .iter()
                    .all(|s| !s.is_empty() && s.chars().all(|c| c.is_alphanumeric() || c == '_'));
            if !qualified {
                continue;
            }
            let first = segments[0];
            let type_path = first.chars().next().is_some_and(char::is_uppercase);
            if !(crates.contains(first) || type_path) {
                continue;
            }
            for name in segments.iter().skip(usize::from(crates.contains(first))) {
                if !defined.contains(*name) {
                    problems.push(format!(
                        "docs/math.md:{}: `{cite}` cites `{name}`, which no library crate \
                         defines",
                        no + 1
                    ));
                }
            }
        }
    }
    Ok(())
}

fn no_course_identifiers(root: &Path, problems: &mut Vec<String>) -> Result<()> {
    for (dir, _) in LIBRARIES {
        for file in rust_files(&root.join("crates").join(dir).join("src"))? {
            for (no, line) in read(&file)?.lines().enumerate() {
                let code = code_of(line).trim_start();
                if !code.starts_with("pub ") {
                    continue;
                }
                let name: String = code
                    .split_whitespace()
                    .find(|w| {
                        !matches!(
                            *w,
                            "pub" | "fn" | "struct" | "enum" | "trait" | "type" | "const" | "mod"
                        )
                    })
                    .unwrap_or("")
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if name.to_lowercase().contains("course") {
                    problems.push(format!(
                        "{}:{}: public identifier `{name}` names the course: name what it is",
                        file.display(),
                        no + 1
                    ));
                }
            }
        }
    }
    Ok(())
}
