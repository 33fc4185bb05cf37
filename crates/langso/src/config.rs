//! Settings from a configuration file, `langso.toml`, named by `--config` or `LANGSO_CONFIG`.
//!
//! Precedence: flags > environment (`LANGSO_…`) > file > defaults. Every setting is a clap
//! flag with an `env = "LANGSO_X"` name, and the file's key is that name without the prefix, in
//! lower case (`LANGSO_DATABASE_URL` ⇔ `database_url`; a `[backup]` table's `every` is
//! `backup_every`). The file's values become the flags' defaults, so clap itself applies the
//! precedence, and any flag added later can be set from the file with no extra code.
//!
//! Secrets may come from files: `database_url_file = "/etc/langso/database-url"` in the file,
//! or `LANGSO_DATABASE_URL_FILE` in the environment, reads the value from that file (trimmed).
//! `langso serve` prints where each setting came from, never a secret's value.

use std::collections::{BTreeMap, BTreeSet};
use std::ffi::OsString;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use clap::parser::ValueSource;
use clap::{ArgMatches, Command};

/// The environment variable prefix of every setting.
const PREFIX: &str = "LANGSO_";
/// The environment variable naming the configuration file (itself not settable from the file).
const CONFIG_ENV: &str = "LANGSO_CONFIG";
/// A configuration file or secret file larger than this is refused (they are a few lines).
const MAX_FILE_BYTES: u64 = 256 * 1024;
/// At most this many settings in a file, and tables this deep.
const MAX_KEYS: usize = 500;
const MAX_DEPTH: usize = 4;

/// Where a setting's value came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Origin {
    /// The configuration file.
    File(PathBuf),
    /// A secret file named by a `*_file` key of the configuration file.
    SecretFile(PathBuf),
    /// A secret file named by a `LANGSO_…_FILE` environment variable.
    EnvSecretFile(String),
}

/// The settings taken from files, by environment variable name.
#[derive(Debug, Default)]
pub(crate) struct FileSettings {
    values: BTreeMap<String, (String, Origin)>,
}

impl FileSettings {
    /// Reads the configuration file (if any) and the `LANGSO_…_FILE` secret files.
    pub(crate) fn load(path: Option<&Path>) -> Result<FileSettings> {
        let mut settings = FileSettings::default();
        if let Some(path) = path {
            let text = read_limited(path)?;
            let entries = parse(&text).with_context(|| format!("in {}", path.display()))?;
            for (key, value) in entries {
                if let Some(setting) = key.strip_suffix("_file") {
                    let secret = PathBuf::from(&value);
                    let read = read_limited(&secret)
                        .with_context(|| format!("{key} in {}", path.display()))?;
                    settings.insert(setting, read.trim().to_owned(), Origin::SecretFile(secret));
                } else {
                    settings.insert(&key, value, Origin::File(path.to_owned()));
                }
            }
        }
        Ok(settings)
    }

    fn insert(&mut self, key: &str, value: String, origin: Origin) {
        let env = format!("{PREFIX}{}", key.to_ascii_uppercase().replace('-', "_"));
        self.values.insert(env, (value, origin));
    }

    /// Makes the file's values the defaults of the flags they name, in `command` and all its
    /// subcommands; refuses a key that names no setting.
    pub(crate) fn apply(&mut self, command: Command) -> Result<Command> {
        self.add_env_secret_files(&command)?;
        let mut used = BTreeSet::new();
        let command = self.apply_to(command, &mut used);
        let unknown: Vec<String> = self
            .values
            .iter()
            .filter(|(env, _)| !used.contains(*env))
            .map(|(env, (_, origin))| match origin {
                Origin::EnvSecretFile(_) => format!("{env}_FILE"),
                _ => env[PREFIX.len()..].to_ascii_lowercase(),
            })
            .collect();
        if !unknown.is_empty() {
            bail!(
                "unknown setting(s) in the configuration: {} (see the settings table in the README)",
                unknown.join(", ")
            );
        }
        Ok(command)
    }

    /// `LANGSO_X_FILE` for any setting `LANGSO_X` not itself in the environment.
    fn add_env_secret_files(&mut self, command: &Command) -> Result<()> {
        let mut names = BTreeSet::new();
        env_names(command, &mut names);
        for env in names {
            let file_var = format!("{env}_FILE");
            if std::env::var_os(&env).is_some() {
                continue;
            }
            if let Some(path) = std::env::var_os(&file_var) {
                let read = read_limited(Path::new(&path)).with_context(|| file_var.clone())?;
                self.values.insert(
                    env,
                    (read.trim().to_owned(), Origin::EnvSecretFile(file_var)),
                );
            }
        }
        Ok(())
    }

    fn apply_to(&self, mut command: Command, used: &mut BTreeSet<String>) -> Command {
        let settable: Vec<(clap::Id, String)> = command
            .get_arguments()
            .filter_map(|arg| Some((arg.get_id().clone(), env_of(arg)?)))
            .collect();
        for (id, env) in settable {
            if let Some((value, _)) = self.values.get(&env) {
                // Leaked once at start: clap keeps defaults as 'static strings.
                let value: &'static str = Box::leak(value.clone().into_boxed_str());
                command = command.mut_arg(id, |arg| arg.default_value(value));
                used.insert(env);
            }
        }
        let names: Vec<String> = command
            .get_subcommands()
            .map(|sub| sub.get_name().to_owned())
            .collect();
        for name in names {
            command = command.mut_subcommand(name, |sub| self.apply_to(sub, used));
        }
        command
    }

    /// One line per setting of the running command: its value (secrets hidden) and source.
    pub(crate) fn describe(&self, command: &Command, matches: &ArgMatches) -> Vec<String> {
        let mut lines = Vec::new();
        for arg in command.get_arguments() {
            let Some(env) = env_of(arg) else { continue };
            let id = arg.get_id().as_str();
            let name = env[PREFIX.len()..].to_ascii_lowercase();
            let Ok(Some(raw)) = matches.try_get_raw(id) else {
                lines.push(format!("  {name:<18} (not set)"));
                continue;
            };
            let value: Vec<String> = raw.map(|v| v.to_string_lossy().into_owned()).collect();
            let source = match matches.value_source(id) {
                Some(ValueSource::CommandLine) => "flag".to_owned(),
                Some(ValueSource::EnvVariable) => format!("environment {env}"),
                Some(ValueSource::DefaultValue) => match self.values.get(&env) {
                    Some((_, Origin::File(path))) => format!("file {}", path.display()),
                    Some((_, Origin::SecretFile(path))) => {
                        format!(
                            "secret file {} (named in the configuration)",
                            path.display()
                        )
                    }
                    Some((_, Origin::EnvSecretFile(var))) => format!("secret file named by {var}"),
                    None => "default".to_owned(),
                },
                _ => "default".to_owned(),
            };
            lines.push(format!(
                "  {name:<18} {}  ← {source}",
                shown(&name, &value.join(","))
            ));
        }
        lines
    }
}

/// A setting's value as printed: secrets hidden, passwords cut out of URLs.
fn shown(name: &str, value: &str) -> String {
    if ["password", "token", "secret", "key"]
        .iter()
        .any(|word| name.contains(word))
    {
        return "(hidden)".to_owned();
    }
    if name.ends_with("url") || name.ends_with("proxy") {
        return crate::redact(value);
    }
    value.to_owned()
}

fn env_of(arg: &clap::Arg) -> Option<String> {
    let env = arg.get_env()?.to_str()?;
    (env.starts_with(PREFIX) && env != CONFIG_ENV).then(|| env.to_owned())
}

fn env_names(command: &Command, names: &mut BTreeSet<String>) {
    names.extend(command.get_arguments().filter_map(env_of));
    for sub in command.get_subcommands() {
        env_names(sub, names);
    }
}

/// The configuration file's path: `--config FILE` (or `--config=FILE`) on the command line,
/// else `LANGSO_CONFIG`. Read before clap parses, since the file changes the flags' defaults.
pub(crate) fn config_path(args: &[OsString]) -> Option<PathBuf> {
    let mut args = args.iter().skip(1);
    while let Some(arg) = args.next() {
        let arg = arg.to_string_lossy();
        if arg == "--" {
            break;
        }
        if arg == "--config" {
            return args.next().map(PathBuf::from);
        }
        if let Some(path) = arg.strip_prefix("--config=") {
            return Some(PathBuf::from(path));
        }
    }
    std::env::var_os(CONFIG_ENV)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
}

fn read_limited(path: &Path) -> Result<String> {
    let size = std::fs::metadata(path)
        .with_context(|| format!("cannot read {}", path.display()))?
        .len();
    if size > MAX_FILE_BYTES {
        bail!(
            "{} is {size} bytes; a configuration or secret file may have at most {MAX_FILE_BYTES}",
            path.display()
        );
    }
    std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))
}

/// The file's settings as (key, value) text, tables flattened with `_`. Values are strings,
/// numbers or booleans; lists and dates are refused.
pub(crate) fn parse(text: &str) -> Result<Vec<(String, String)>> {
    let table: serde_json::Map<String, serde_json::Value> =
        basic_toml::from_str(text).context("not a valid TOML file")?;
    let mut out = Vec::new();
    flatten("", &table, 1, &mut out)?;
    Ok(out)
}

fn flatten(
    prefix: &str,
    table: &serde_json::Map<String, serde_json::Value>,
    depth: usize,
    out: &mut Vec<(String, String)>,
) -> Result<()> {
    if depth > MAX_DEPTH {
        bail!("tables nested deeper than {MAX_DEPTH}");
    }
    for (key, value) in table {
        if key.is_empty()
            || !key
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        {
            bail!("setting names are letters, digits, '_' and '-': {key:?}");
        }
        let key = if prefix.is_empty() {
            key.clone()
        } else {
            format!("{prefix}_{key}")
        };
        let text = match value {
            serde_json::Value::String(s) => s.clone(),
            serde_json::Value::Bool(b) => b.to_string(),
            serde_json::Value::Number(n) => n.to_string(),
            serde_json::Value::Object(inner) => {
                flatten(&key, inner, depth + 1, out)?;
                continue;
            }
            _ => bail!("{key}: a setting is a string, a number or true/false"),
        };
        if out.len() >= MAX_KEYS {
            bail!("more than {MAX_KEYS} settings");
        }
        out.push((key, text));
    }
    Ok(())
}

/// Where each setting came from (flag, environment, file, default); secrets hidden.
pub(crate) fn print_sources(lines: &[String]) {
    if lines.is_empty() {
        return;
    }
    println!("Cấu hình / settings:");
    for line in lines {
        println!("{line}");
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use proptest::prelude::*;

    #[test]
    fn tables_flatten_and_lists_are_refused() {
        let parsed =
            parse("listen = \"0.0.0.0:80\"\ntrust_proxy = true\n[backup]\nkeep = 7\n").unwrap();
        assert!(parsed.contains(&("listen".into(), "0.0.0.0:80".into())));
        assert!(parsed.contains(&("trust_proxy".into(), "true".into())));
        assert!(parsed.contains(&("backup_keep".into(), "7".into())));
        assert!(parse("hotline = [1, 2]").is_err());
        assert!(parse("a = {b = {c = {d = {e = 1}}}}").is_err());
    }

    proptest! {
        #[test]
        fn any_text_parses_or_is_refused(text in "\\PC{0,200}") {
            let _ = parse(&text);
        }

        #[test]
        fn key_value_lines_round_trip(key in "[a-z][a-z_]{0,20}", value in "[ -~&&[^\"\\\\]]{0,40}") {
            let parsed = parse(&format!("{key} = \"{value}\"")).unwrap();
            prop_assert_eq!(parsed, vec![(key, value)]);
        }
    }
}
