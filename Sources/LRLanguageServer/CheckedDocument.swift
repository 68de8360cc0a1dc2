import LRLanguage

/// One checked revision of a document: its incremental diagnostics, converted for publishing.
struct CheckedDocument: Sendable {
  /// The state the next revision's check starts from.
  let engine: IncrementalDiagnostics
  let version: Int?
  /// The diagnostics to publish.
  let diagnostics: [LSPDiagnostic]
  /// How long the check took (sets the debounce delay).
  let duration: Duration
}
