//! A terminal progress bar for long work (imports, the demo build).

use indicatif::{ProgressBar, ProgressStyle};
use langso_app::progress::Progress;

/// An indicatif bar behind the app's [`Progress`] trait; hidden when stderr is not a terminal.
pub struct Bar {
    bar: ProgressBar,
}

impl Bar {
    pub fn new() -> Self {
        let bar = ProgressBar::new(0);
        let style =
            ProgressStyle::with_template("{msg:32} [{bar:30}] {pos}/{len} ({per_sec}, {eta})")
                .map(|s| s.progress_chars("=> "))
                .unwrap_or_else(|_| ProgressStyle::default_bar());
        bar.set_style(style);
        Bar { bar }
    }
}

impl Progress for Bar {
    fn start(&self, stage: &str, total: u64) {
        self.bar.reset();
        self.bar.set_length(total);
        self.bar.set_message(stage.to_owned());
    }

    fn advance(&self, done: u64) {
        self.bar.inc(done);
        if self.bar.length() == Some(self.bar.position()) {
            self.bar.finish();
        }
    }
}
