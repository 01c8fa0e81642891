//! The property tests' configuration.

use proptest::test_runner::Config;

/// At least `cases` cases (more when `PROPTEST_CASES` asks for more), and no regression files:
/// the suites write nothing next to the sources.
pub(crate) fn config(cases: u32) -> Config {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse::<u32>().ok())
        .map_or(cases, |n| n.max(cases));
    Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    }
}
