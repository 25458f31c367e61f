//! The certificate checker (`src/check/`) must stay independent of the code
//! whose output it checks: its import closure may reach the network, the
//! domain, exact arithmetic and the errors, never the walk, the LP engine,
//! the prover, the graph, sampling or the writers (ARCHITECTURE.md, "the
//! checker depends on nothing that decides").
//!
//! The test reads the source: every `use` path and every inline `crate::`,
//! `super::` or `self::` path of every file under `src/check/`, transitively.
//! A path resolves to the deepest file it names (`src/a/b.rs` or
//! `src/a/b/mod.rs`, else `src/lib.rs`), and a file reaches every child
//! module it declares (`mod x;`), so reaching a `mod.rs` reaches the whole
//! folder. This over-approximates the compiler's view, which is the safe
//! direction: it can fail on a harmless import, never pass on a real one.
//!
//! Tried when it was written: adding `use crate::walk::walker::Walker;` to
//! `src/check/verify.rs` made `the_checker_reaches_nothing_that_decides`
//! fail, printing one chain per forbidden file reached, such as
//! `src/check/verify.rs → (use crate::walk::walker::Walker) →
//! src/walk/walker.rs → (use crate::lp::chebyshev::chebyshev_ball) →
//! src/lp/chebyshev.rs`; an inline `crate::certify::certificate_file::...`
//! path in a function body failed it likewise. Removing them made it pass.

use std::collections::{BTreeMap, VecDeque};
use std::path::{Path, PathBuf};

/// Folders of `src/` the checker must not reach.
const FORBIDDEN: [&str; 6] = ["walk", "lp", "certify", "graph", "sample", "output"];

/// Source text without comments and without the contents of string and
/// character literals, so that only code can name a module.
fn strip(text: &str) -> String {
    let c: Vec<char> = text.chars().collect();
    let ident = |i: usize| {
        c.get(i)
            .is_some_and(|&ch| ch.is_alphanumeric() || ch == '_')
    };
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < c.len() {
        let next = c.get(i + 1).copied();
        if c[i] == '/' && next == Some('/') {
            while i < c.len() && c[i] != '\n' {
                i += 1;
            }
        } else if c[i] == '/' && next == Some('*') {
            let mut depth = 0;
            while i < c.len() {
                if c[i] == '/' && c.get(i + 1) == Some(&'*') {
                    depth += 1;
                    i += 2;
                } else if c[i] == '*' && c.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
            out.push(' ');
        } else if c[i] == 'r'
            && (!ident(i.wrapping_sub(1)) || c[i - 1] == 'b' && !ident(i.wrapping_sub(2)))
            && matches!(next, Some('#' | '"'))
        {
            let hashes = c[i + 1..].iter().take_while(|&&ch| ch == '#').count();
            if c.get(i + 1 + hashes) != Some(&'"') {
                out.push(c[i]);
                i += 1;
                continue;
            }
            i += hashes + 2;
            while i < c.len() && !(c[i] == '"' && c[i + 1..].iter().take(hashes).all(|&h| h == '#'))
            {
                i += 1;
            }
            i += hashes + 1;
            out.push_str("\"\"");
        } else if c[i] == '"' {
            i += 1;
            while i < c.len() && c[i] != '"' {
                i += if c[i] == '\\' { 2 } else { 1 };
            }
            i += 1;
            out.push_str("\"\"");
        } else if c[i] == '\'' && next == Some('\\') {
            i += 2;
            while i < c.len() && c[i] != '\'' {
                i += 1;
            }
            i += 1;
        } else if c[i] == '\'' && c.get(i + 2) == Some(&'\'') {
            i += 3;
        } else {
            out.push(c[i]);
            i += 1;
        }
    }
    out
}

/// Positions where the word `word` starts in `text`.
fn word_starts<'a>(text: &'a str, word: &'a str) -> impl Iterator<Item = usize> + 'a {
    text.match_indices(word).map(|(i, _)| i).filter(move |&i| {
        let before = text[..i].chars().next_back();
        let after = text[i + word.len()..].chars().next();
        !before.is_some_and(|b| b.is_alphanumeric() || b == '_')
            && !after.is_some_and(|a| a.is_alphanumeric() || a == '_')
    })
}

/// The identifier at the start of `text`.
fn ident(text: &str) -> &str {
    let end = text
        .find(|ch: char| !(ch.is_alphanumeric() || ch == '_'))
        .unwrap_or(text.len());
    &text[..end]
}

/// Splits `text` at the commas outside braces.
fn top_level_parts(text: &str) -> Vec<&str> {
    let (mut parts, mut depth, mut start) = (Vec::new(), 0, 0);
    for (i, ch) in text.char_indices() {
        match ch {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&text[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&text[start..]);
    parts
}

/// The paths a use tree names, groups expanded: `a::{b, c::d}` gives `a::b`
/// and `a::c::d`; `a::*` and `a::{self}` give `a`.
fn expand_use(tree: &str, prefix: &str, out: &mut Vec<String>) {
    let join = |p: &str, s: &str| match (p.is_empty(), s.is_empty()) {
        (true, _) => s.to_string(),
        (_, true) => p.to_string(),
        _ => format!("{p}::{s}"),
    };
    let tree = tree.trim();
    if let (Some(open), Some(close)) = (tree.find('{'), tree.rfind('}')) {
        let head: String = tree[..open].split_whitespace().collect();
        let head = join(prefix, head.trim_end_matches("::"));
        for part in top_level_parts(&tree[open + 1..close]) {
            if !part.trim().is_empty() {
                expand_use(part, &head, out);
            }
        }
        return;
    }
    let words: Vec<&str> = tree.split_whitespace().collect();
    let path: String = words.split(|w| *w == "as").next().unwrap_or(&[]).concat();
    let path = path.trim_end_matches("::*").trim_end_matches("::self");
    out.push(if path == "self" {
        prefix.to_string()
    } else {
        join(prefix, path)
    });
}

/// A reference from one file to another module: the module path it names
/// (from the crate root) and how the file names it.
struct Reference {
    module: Vec<String>,
    how: String,
}

/// The module path of a file of `src/`: `a/b.rs` and `a/b/mod.rs` are `a::b`.
fn module_of(file: &Path) -> Vec<String> {
    let mut parts: Vec<String> = file
        .with_extension("")
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    if matches!(parts.last().map(String::as_str), Some("mod" | "lib")) {
        parts.pop();
    }
    parts
}

/// Every module `text` (the file `file` of `src/`) refers to: its use paths,
/// its inline paths and its child modules.
fn references(file: &Path, text: &str) -> Vec<Reference> {
    let code = strip(text);
    // Inline modules (`mod tests { ... }`): (start, end, name).
    let mut blocks = Vec::new();
    for at in word_starts(&code, "mod") {
        let rest = code[at + 3..].trim_start();
        let name = ident(rest);
        let after = rest[name.len()..].trim_start();
        if !name.is_empty() && after.starts_with('{') {
            let open = code.len() - after.len();
            let mut depth = 0;
            let close = code[open..]
                .char_indices()
                .find(|&(_, ch)| {
                    depth += match ch {
                        '{' => 1,
                        '}' => -1,
                        _ => 0,
                    };
                    depth == 0
                })
                .map_or(code.len(), |(i, _)| open + i);
            blocks.push((open, close, name.to_string()));
        }
    }
    let module_at = |at: usize| {
        let mut m = module_of(file);
        m.extend(
            blocks
                .iter()
                .filter(|(open, close, _)| *open < at && at < *close)
                .map(|(_, _, name)| name.clone()),
        );
        m
    };
    let absolute = |path: &str, at: usize| -> Option<Vec<String>> {
        let segments: Vec<&str> = path.split("::").collect();
        let mut module = match segments[0] {
            "crate" | "$crate" => Vec::new(),
            "self" | "super" => module_at(at),
            _ => return None,
        };
        let mut rest = &segments[..];
        if rest[0] == "crate" || rest[0] == "$crate" || rest[0] == "self" {
            rest = &rest[1..];
        }
        while rest.first() == Some(&"super") {
            module.pop();
            rest = &rest[1..];
        }
        module.extend(rest.iter().map(|s| s.to_string()));
        Some(module)
    };
    let mut refs = Vec::new();
    let mut rest_of_code = code.clone();
    for at in word_starts(&code, "use") {
        let Some(len) = code[at..].find(';') else {
            continue;
        };
        let mut paths = Vec::new();
        expand_use(&code[at + 3..at + len], "", &mut paths);
        for path in paths {
            if let Some(module) = absolute(&path, at) {
                let how = format!("use {path}");
                refs.push(Reference { module, how });
            }
        }
        rest_of_code.replace_range(at..at + len, &" ".repeat(len));
    }
    for root in ["$crate::", "crate::", "super::", "self::"] {
        for (at, _) in rest_of_code.match_indices(root) {
            let before = rest_of_code[..at].chars().next_back();
            if before.is_some_and(|b| b.is_alphanumeric() || b == '_' || b == ':')
                || (root == "crate::" && before == Some('$'))
            {
                continue;
            }
            let mut end = at + root.len();
            while !ident(&rest_of_code[end..]).is_empty() {
                end += ident(&rest_of_code[end..]).len();
                if !rest_of_code[end..].starts_with("::") {
                    break;
                }
                end += 2;
            }
            let path = rest_of_code[at..end].trim_end_matches("::");
            if let Some(module) = absolute(path, at) {
                let how = path.to_string();
                refs.push(Reference { module, how });
            }
        }
    }
    for at in word_starts(&code, "mod") {
        let rest = code[at + 3..].trim_start();
        let name = ident(rest);
        if !name.is_empty() && rest[name.len()..].trim_start().starts_with(';') {
            let mut module = module_at(at);
            module.push(name.to_string());
            let how = format!("mod {name}");
            refs.push(Reference { module, how });
        }
    }
    refs
}

/// The deepest file of `src` that `module` names (`a/b.rs` or `a/b/mod.rs`,
/// then its parents), else `lib.rs`: a path to an item re-exported by the
/// crate root depends on the root, which declares every module.
fn resolve(src: &Path, module: &[String]) -> PathBuf {
    for k in (1..=module.len()).rev() {
        let base: PathBuf = module[..k].iter().collect();
        for file in [base.with_extension("rs"), base.join("mod.rs")] {
            if src.join(&file).is_file() {
                return file;
            }
        }
    }
    PathBuf::from("lib.rs")
}

/// The files of `src` reachable from `start`, each with the file and the
/// reference it was first reached by (breadth first, so chains are short).
struct Closure(BTreeMap<PathBuf, Option<(PathBuf, String)>>);

impl Closure {
    fn of(src: &Path, start: &[PathBuf]) -> Closure {
        let mut reached: BTreeMap<PathBuf, Option<(PathBuf, String)>> =
            start.iter().map(|f| (f.clone(), None)).collect();
        let mut queue: VecDeque<PathBuf> = start.iter().cloned().collect();
        while let Some(file) = queue.pop_front() {
            let text = std::fs::read_to_string(src.join(&file))
                .unwrap_or_else(|e| panic!("{}: {e}", file.display()));
            for r in references(&file, &text) {
                let target = resolve(src, &r.module);
                if !reached.contains_key(&target) {
                    reached.insert(target.clone(), Some((file.clone(), r.how)));
                    queue.push_back(target);
                }
            }
        }
        Closure(reached)
    }

    fn contains(&self, file: &str) -> bool {
        self.0.contains_key(Path::new(file))
    }

    /// `src/check/a.rs → (use crate::x::y) → src/x/y.rs → …` for `file`.
    fn chain(&self, file: &Path) -> String {
        let mut steps = vec![format!("src/{}", file.display())];
        let mut at = file;
        while let Some(Some((from, how))) = self.0.get(at) {
            steps.push(format!("src/{} → ({how})", from.display()));
            at = from;
        }
        steps.reverse();
        steps.join(" → ")
    }
}

/// Every `.rs` file under `src/dir`, as paths relative to `src`.
fn files_under(src: &Path, dir: &str) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut dirs = vec![src.join(dir)];
    while let Some(d) = dirs.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path.strip_prefix(src).unwrap().to_path_buf());
            }
        }
    }
    files.sort();
    files
}

/// The files of the closure under a forbidden folder, each with its chain.
fn forbidden_chains(closure: &Closure) -> Vec<String> {
    closure
        .0
        .keys()
        .filter(|f| FORBIDDEN.iter().any(|d| f.starts_with(d)))
        .map(|f| closure.chain(f))
        .collect()
}

#[test]
fn the_checker_reaches_nothing_that_decides() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let start = files_under(&src, "check");
    assert!(start.len() >= 2, "no checker files found: {start:?}");
    let closure = Closure::of(&src, &start);
    // The resolver finds what the checker does use, so a pass is not vacuous.
    for needed in [
        "exact/dyadic.rs",
        "model/network.rs",
        "domain/input_domain.rs",
    ] {
        assert!(closure.contains(needed), "{needed} not reached");
    }
    let bad = forbidden_chains(&closure);
    assert!(
        bad.is_empty(),
        "the checker's imports reach code it must not depend on:\n{}",
        bad.join("\n")
    );
}

/// Writes `files` (path under `src`, text) into a fresh folder.
fn tree(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in files {
        let path = dir.path().join("src").join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

const SYNTHETIC: [(&str, &str); 11] = [
    ("lib.rs", "mod check;\nmod exact;\nmod model;\nmod walk;\n"),
    ("check/mod.rs", "mod a;\npub(crate) mod b;\n"),
    (
        "check/a.rs",
        "use crate::{exact::num::{N, M}, model::net::Net as Network};\n\
         // use crate::walk::w::W;\n\
         const S: &str = \"crate::walk::w\";\n\
         fn f() { super::b::g(); }\n",
    ),
    (
        "check/b.rs",
        "pub fn g() { crate::exact::other::h::<u8>(); }\n",
    ),
    ("exact/mod.rs", "pub mod num;\npub mod other;\n"),
    (
        "exact/num.rs",
        "pub struct N;\n#[cfg(test)]\nmod tests {\n    use super::*;\n}\n",
    ),
    ("exact/other.rs", "pub fn h<T>() {}\n"),
    ("model/mod.rs", "pub mod net;\n"),
    ("model/net.rs", "pub struct Net;\n"),
    ("walk/mod.rs", "pub mod w;\n"),
    ("walk/w.rs", "pub struct W;\n"),
];

/// The synthetic tree with the file at `path` replaced by `text`.
fn synthetic_with(path: &'static str, text: &'static str) -> tempfile::TempDir {
    let mut files = SYNTHETIC.to_vec();
    let at = files.iter().position(|(p, _)| *p == path).unwrap();
    files[at] = (path, text);
    tree(&files)
}

#[test]
fn the_resolver_follows_groups_inline_paths_and_super() {
    let dir = tree(&SYNTHETIC);
    let src = dir.path().join("src");
    let closure = Closure::of(&src, &files_under(&src, "check"));
    let reached: Vec<String> = closure.0.keys().map(|f| f.display().to_string()).collect();
    // Not `exact/mod.rs`: the test module's `super` is `exact::num`. Not
    // `walk/w.rs`: a comment and a string name it, no code does.
    assert_eq!(
        reached,
        [
            "check/a.rs",
            "check/b.rs",
            "check/mod.rs",
            "exact/num.rs",
            "exact/other.rs",
            "model/net.rs"
        ]
    );
}

#[test]
fn the_resolver_names_the_chain_to_a_forbidden_file() {
    let dir = synthetic_with("exact/other.rs", "pub fn h<T>() { crate::walk::w::W; }\n");
    let src = dir.path().join("src");
    let closure = Closure::of(&src, &files_under(&src, "check"));
    assert_eq!(
        forbidden_chains(&closure),
        [
            "src/check/b.rs → (crate::exact::other::h) → src/exact/other.rs \
          → (crate::walk::w::W) → src/walk/w.rs"
        ]
    );
}

#[test]
fn a_path_through_the_crate_root_reaches_every_module() {
    let dir = synthetic_with("model/net.rs", "use crate::Thing;\n");
    let src = dir.path().join("src");
    let closure = Closure::of(&src, &files_under(&src, "check"));
    assert!(closure.contains("lib.rs"));
    assert!(closure.contains("walk/w.rs"));
}
