//! A spinner on stderr for work that takes longer than a second (off with --quiet or when
//! stderr is not a terminal).

use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Runs `work`, showing `label` with the elapsed time once a second has passed.
pub fn with_spinner<T>(label: &str, quiet: bool, work: impl FnOnce() -> T) -> T {
    if quiet {
        return work();
    }
    let (done, wait) = mpsc::channel::<()>();
    let label = label.to_string();
    let handle = thread::spawn(move || {
        if wait.recv_timeout(Duration::from_secs(1)).is_ok() {
            return;
        }
        let pb = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
        if let Ok(style) = ProgressStyle::with_template("{spinner} {msg} {elapsed}") {
            pb.set_style(style);
        }
        pb.set_message(label);
        pb.enable_steady_tick(Duration::from_millis(120));
        let _ = wait.recv();
        pb.finish_and_clear();
    });
    let out = work();
    let _ = done.send(());
    let _ = handle.join();
    out
}
