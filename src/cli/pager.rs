//! A pager for long output on a terminal, as git does it: `$PAGER`, or
//! `less` with `LESS=FRX` (quit when the output fits on one screen, keep
//! colours, leave the text on the screen). When the pager cannot be started
//! the output goes to stdout directly.

use std::io::{self, Write};
use std::process::{Child, ChildStdin, Command, Stdio};

pub struct Pager {
    stdin: Option<ChildStdin>,
    child: Child,
}

/// The pager command: `$PAGER` split at whitespace, or `less`; `None` when
/// `PAGER` is set to nothing or to `cat`.
fn command(pager_env: Option<&str>) -> Option<Vec<String>> {
    match pager_env {
        Some(p) => {
            let words: Vec<String> = p.split_whitespace().map(String::from).collect();
            match words.first().map(String::as_str) {
                None | Some("cat") => None,
                Some(_) => Some(words),
            }
        }
        None => Some(vec!["less".to_string()]),
    }
}

impl Pager {
    pub fn start() -> Option<Pager> {
        let env = std::env::var("PAGER").ok();
        let words = command(env.as_deref())?;
        let mut cmd = Command::new(&words[0]);
        cmd.args(&words[1..]).stdin(Stdio::piped());
        if std::env::var_os("LESS").is_none() {
            cmd.env("LESS", "FRX");
        }
        let mut child = cmd.spawn().ok()?;
        let stdin = child.stdin.take()?;
        Some(Pager {
            stdin: Some(stdin),
            child,
        })
    }
}

impl Write for Pager {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match &mut self.stdin {
            Some(s) => s.write(buf),
            None => Err(io::ErrorKind::BrokenPipe.into()),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match &mut self.stdin {
            Some(s) => s.flush(),
            None => Ok(()),
        }
    }
}

impl Drop for Pager {
    /// Closes the pager's input and waits until the user has quit it.
    fn drop(&mut self) {
        drop(self.stdin.take());
        let _ = self.child.wait();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pager_env_is_honoured() {
        assert_eq!(command(None), Some(vec!["less".to_string()]));
        assert_eq!(
            command(Some("less -S")),
            Some(vec!["less".to_string(), "-S".to_string()])
        );
        assert_eq!(command(Some("")), None);
        assert_eq!(command(Some("cat")), None);
    }
}
