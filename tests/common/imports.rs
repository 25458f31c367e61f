//! Reading a crate's imports from its source, to check which files a file
//! can reach (`tests/checker_isolation.rs`).
//!
//! Every `use` path and every inline `crate::`, `super::`, `self::` or
//! `regionwalk::` path of a file is read, transitively. A path resolves to
//! the deepest file it names (`src/a/b.rs` or `src/a/b/mod.rs`, else
//! `src/lib.rs`), and a file reaches every child module it declares
//! (`mod x;`), so reaching a `mod.rs` reaches the whole folder. A
//! `regionwalk::Name` path, as the binary (`src/main.rs`, `src/cli/`) writes
//! it, resolves through the re-exports of `src/lib.rs` to the file that
//! defines `Name`. This over-approximates the compiler's view, which is the
//! safe direction: it can fail on a harmless import, never pass on a real
//! one.

use std::collections::{BTreeMap, VecDeque};
use std::path::{Path, PathBuf};

/// The library's name, as the binary's paths start.
const LIBRARY: &str = "regionwalk";

/// The names `src/lib.rs` re-exports, each with the module path it comes
/// from (`CheckLimits` → `check::limits::CheckLimits`).
struct Exports(BTreeMap<String, Vec<String>>);

impl Exports {
    fn of(src: &Path) -> Exports {
        let text = std::fs::read_to_string(src.join("lib.rs")).unwrap_or_default();
        let code = strip(&text);
        let mut names = BTreeMap::new();
        for (_, paths) in use_statements(&code) {
            for path in paths {
                let segments: Vec<String> = path
                    .split("::")
                    .filter(|s| *s != "crate")
                    .map(String::from)
                    .collect();
                if let Some(name) = segments.last() {
                    names.insert(name.clone(), segments.clone());
                }
            }
        }
        Exports(names)
    }

    /// The module path of `regionwalk::` + `rest`: a re-exported name's own
    /// path, or else the path as written (a public module of the library).
    fn module(&self, rest: &[&str]) -> Vec<String> {
        let mut module = match rest.first().and_then(|name| self.0.get(*name)) {
            Some(path) => path.clone(),
            None => rest
                .first()
                .map(|s| vec![s.to_string()])
                .unwrap_or_default(),
        };
        module.extend(rest.iter().skip(1).map(|s| s.to_string()));
        module
    }
}

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

/// The `use` statements of `code` (stripped): where each is, and the paths it
/// names, groups expanded.
fn use_statements(code: &str) -> Vec<(std::ops::Range<usize>, Vec<String>)> {
    word_starts(code, "use")
        .filter_map(|at| {
            let len = code[at..].find(';')?;
            let mut paths = Vec::new();
            expand_use(&code[at + 3..at + len], "", &mut paths);
            Some((at..at + len, paths))
        })
        .collect()
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
fn references(file: &Path, text: &str, exports: &Exports) -> Vec<Reference> {
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
            LIBRARY => return Some(exports.module(&segments[1..])),
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
    for (statement, paths) in use_statements(&code) {
        for path in paths {
            if let Some(module) = absolute(&path, statement.start) {
                let how = format!("use {path}");
                refs.push(Reference { module, how });
            }
        }
        let len = statement.len();
        rest_of_code.replace_range(statement, &" ".repeat(len));
    }
    for root in ["$crate::", "crate::", "super::", "self::", "regionwalk::"] {
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
pub struct Closure(pub BTreeMap<PathBuf, Option<(PathBuf, String)>>);

impl Closure {
    pub fn of(src: &Path, start: &[PathBuf]) -> Closure {
        let exports = Exports::of(src);
        let mut reached: BTreeMap<PathBuf, Option<(PathBuf, String)>> =
            start.iter().map(|f| (f.clone(), None)).collect();
        let mut queue: VecDeque<PathBuf> = start.iter().cloned().collect();
        while let Some(file) = queue.pop_front() {
            let text = std::fs::read_to_string(src.join(&file))
                .unwrap_or_else(|e| panic!("{}: {e}", file.display()));
            for r in references(&file, &text, &exports) {
                let target = resolve(src, &r.module);
                if !reached.contains_key(&target) {
                    reached.insert(target.clone(), Some((file.clone(), r.how)));
                    queue.push_back(target);
                }
            }
        }
        Closure(reached)
    }

    pub fn contains(&self, file: &str) -> bool {
        self.0.contains_key(Path::new(file))
    }

    /// `src/check/a.rs → (use crate::x::y) → src/x/y.rs → …` for `file`.
    pub fn chain(&self, file: &Path) -> String {
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
pub fn files_under(src: &Path, dir: &str) -> Vec<PathBuf> {
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
