import LiveResponse

/// Hover text (Markdown) for a range of the document.
public struct Hover: Sendable, Hashable {
  public var markdown: String
  public var range: ByteRange
}

extension Analysis {
  /// What the command words send, for hover and help.
  public static let commandHelp: [String: String] = [
    "run": """
    **run** SCRIPT [ARG…] → `RunScript` with params `ScriptName` = SCRIPT and `Args` = the arguments \
    joined by spaces. Runs a script from the live response library; times out after 10 minutes. \
    Result fields (with `let r = on …`): `r.exit_code`, `r.output`, `r.errors`, `r.status`, `r.ok`.
    """,
    "get": """
    **get** PATH → `GetFile` with param `Path`. Collects a file from the device (up to 3 GB); \
    lr saves it under `results/<run>/<machine>/` with its SHA-256.
    """,
    "put": """
    **put** FILE → `PutFile` with param `FileName`. Puts a library file in the device's working \
    folder (deleted at restart). No result.
    """,
  ]

  static let keywordHelp: [String: String] = [
    "on":
      "**on** TARGET [comment \"…\"] [with OPTIONS] < commands > — one Live Response action per machine.",
    "let":
      "**let** NAME = value | target | on … — binds a constant, a target, or a statement's result.",
    "def": "**def** NAME(PARAMS) < commands > — a procedure; calls expand to its commands.",
    "use":
      "**use** \"module\" — imports procedures from MODULE.lr (the script's folder, then stdlib/).",
    "if": "**if** CONDITION < statements > else < statements > — branches on earlier results.",
    "comment":
      "**comment** \"…\" — the action Comment (audit trail) for the statements that follow.",
    "machine":
      "**machine** NAME|ID|$var — one machine by computer name (short or FQDN) or 40-hex id.",
    "machines": "**machines** [A, B, …] — a list of machines.",
    "tag": "**tag** \"T\" — every machine carrying the tag.",
    "name":
      "**name** \"WS-*\" — machines whose computer name matches the glob (no wildcard: prefix).",
    "file": "**file** \"hosts.txt\" — machine names listed in a file, one per line.",
    "filter": "**filter** \"OData\" — machines matching an OData `$filter` of the machines API.",
    "where": """
    **where** CONDITION — after `$r` or `$r.failed`: the machines whose own result makes the \
    condition true (`output`, `exit_code`, `status`, …; any other name, or `row.NAME`, is a column \
    of the machine's rows, true when one row matches).
    """,
  ]

  /// Hover at an offset: procedure signatures and docs, command mappings, values, compiled bodies.
  public func hover(at offset: Int) -> Hover? {
    guard let token = token(at: offset), token.kind == .word || token.kind == .variable else {
      return nil
    }
    let text = source.text(token.range)
    if let symbol = symbol(at: offset) {
      return Hover(markdown: describe(symbol), range: token.range)
    }
    if let help = rolloutHover(token) { return help }
    if let help = Analysis.commandHelp[text], commandContext(at: token.range.lowerBound) != nil {
      return Hover(markdown: help, range: token.range)
    }
    if text == "on",
      let statement = output.plan.allStatements.first(where: {
        // A statement's range starts at its `on`, or at the `let` that binds its result.
        $0.file == source.name && $0.range.contains(token.range.lowerBound)
      })
    {
      let bodies = statement.requests.map {
        "```json\n" + $0.json().serialized(pretty: true) + "\n```"
      }
      let header =
        statement.requests.count == 1
        ? "Sends 1 request to each machine:"
        : "Sends \(statement.requests.count) requests in sequence to each machine (API order PutFile → RunScript → GetFile):"
      return Hover(markdown: header + "\n\n" + bodies.joined(separator: "\n\n"), range: token.range)
    }
    if let help = Analysis.keywordHelp[text] ?? Analysis.commandHelp[text] {
      return Hover(markdown: help, range: token.range)
    }
    if let dot = text.lastIndex(of: "."),
      let field = ResultField(rawValue: String(text[text.index(after: dot)...]))
    {
      return Hover(markdown: "`\(field.rawValue)`: \(field.summary)", range: token.range)
    }
    return nil
  }

  func describe(_ symbol: Symbol) -> String {
    switch symbol.kind {
    case .procedure:
      var text = "```lr\n\(symbol.detail ?? symbol.name)\n```"
      if let doc = symbol.documentation { text += "\n\n" + doc }
      if symbol.file != source.name { text += "\n\nFrom `\(symbol.file)`." }
      return text
    case .module:
      return "Module `\(symbol.name)` (`\(symbol.file)`)"
    case .parameter:
      return "Parameter `\(symbol.name)`" + (symbol.detail.map { " — \($0)" } ?? "")
    case .result:
      let fields = ResultField.allCases.map { "- `\(symbol.name).\($0.rawValue)`: \($0.summary)" }
      return "`\(symbol.name)`: \(symbol.detail ?? "result")\n\n" + fields.joined(separator: "\n")
    case .variable, .target:
      return "```lr\nlet \(symbol.name) = \(symbol.detail ?? "…")\n```"
    }
  }
}
