/// The REPL's runner kinds and banner live in LRPrompt, which the `lr` launcher links without
/// Foundation; every user of the shell sees them through LRShell.
@_exported import LRPrompt
