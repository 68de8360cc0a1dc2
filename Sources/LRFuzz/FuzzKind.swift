/// What a fuzz input is fed to; also the folder of its corpus files (`Tests/fuzz-corpus/<kind>/`).
public enum FuzzKind: String, CaseIterable, Sendable {
  /// `.lr` text through parse, check and compile: no crash, no hang.
  case check
  /// `.lr` text through the formatter: idempotent, and the plan unchanged when the text has no
  /// errors (plus everything `check` asks).
  case format
  /// A byte stream through the language server's framing parser: no crash, the same outputs
  /// whatever the chunk sizes, and a valid frame after a pause is always read.
  case framing
}
