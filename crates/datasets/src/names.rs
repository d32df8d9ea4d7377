//! Column names: close matches for a name that is not there.

use std::path::Path;

use crate::error::DatasetError;

/// At most this many close matches are suggested.
const MAX_SUGGESTIONS: usize = 3;

/// The names of `available` that are close to `name`: equal ignoring case, or within an edit
/// distance of about a third of the name's length (at least 1, and less than the length
/// of either), closest first.
///
/// # Examples
/// ```
/// let names = ["Age".to_string(), "sex".into(), "bmi".into(), "page".into()];
/// assert_eq!(linmod_datasets::close_matches("age", &names), vec!["Age", "page"]);
/// assert!(linmod_datasets::close_matches("income", &names).is_empty());
/// ```
#[must_use]
pub fn close_matches(name: &str, available: &[String]) -> Vec<String> {
    let lower = name.to_lowercase();
    let budget = (lower.chars().count() / 3).max(1);
    let mut scored: Vec<(usize, &String)> = available
        .iter()
        .filter_map(|candidate| {
            let other = candidate.to_lowercase();
            let d = edit_distance(&lower, &other);
            // equal ignoring case (d = 0) sorts before every real edit; a name that must be
            // rewritten whole (`y` for `a`) is no match
            let shorter = lower.chars().count().min(other.chars().count());
            (d <= budget && d < shorter.max(1)).then_some((d, candidate))
        })
        .collect();
    scored.sort_by_key(|&(d, _)| d);
    scored
        .into_iter()
        .take(MAX_SUGGESTIONS)
        .map(|(_, n)| n.clone())
        .collect()
}

/// Levenshtein distance between two strings, in characters; the names compared are short,
/// and a name longer than 256 characters is simply never close.
fn edit_distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    if a.len() > 256 || b.len() > 256 {
        return usize::MAX;
    }
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitute = prev[j] + usize::from(ca != cb);
            cur[j + 1] = substitute.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// The error for a column `name` that `available` does not hold.
pub(crate) fn missing_column(file: &Path, name: &str, available: &[String]) -> DatasetError {
    DatasetError::MissingColumn {
        file: file.to_path_buf(),
        name: name.to_owned(),
        suggestions: close_matches(name, available),
        available: available.to_vec(),
    }
}

/// `a, b, c` for at most `max` names, then how many more there are.
pub(crate) fn name_list(names: &[String], max: usize) -> String {
    let shown: Vec<&str> = names.iter().take(max).map(String::as_str).collect();
    let mut text = shown.join(", ");
    if names.len() > max {
        text.push_str(&format!(" and {} more", names.len() - max));
    }
    text
}

/// ` (did you mean `a` or `b`?)`, or nothing without suggestions.
pub(crate) fn did_you_mean(suggestions: &[String]) -> String {
    if suggestions.is_empty() {
        return String::new();
    }
    let quoted: Vec<String> = suggestions.iter().map(|s| format!("`{s}`")).collect();
    format!(" (did you mean {}?)", quoted.join(" or "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distances_are_levenshtein() {
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("same", "same"), 0);
    }

    #[test]
    fn lists_are_capped() {
        let names: Vec<String> = (0..5).map(|j| format!("c{j}")).collect();
        assert_eq!(name_list(&names, 2), "c0, c1 and 3 more");
        assert_eq!(name_list(&names[..2], 2), "c0, c1");
        assert_eq!(did_you_mean(&names[..2]), " (did you mean `c0` or `c1`?)");
    }
}
