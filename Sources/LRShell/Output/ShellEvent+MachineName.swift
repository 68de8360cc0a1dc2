extension ShellEvent.Machine {
  /// Whether `typed` names this machine the way targets do: its 40-hex id, its computer name
  /// (FQDN) or its short name (the first label), ignoring case (`ws-0143` for
  /// `WS-0143.contoso.local`).
  public func isNamed(_ typed: String) -> Bool {
    let typed = typed.lowercased()
    let full = name.lowercased()
    let short = full.split(separator: ".", maxSplits: 1).first.map(String.init) ?? full
    return typed == full || typed == short || typed == id?.lowercased()
  }
}
