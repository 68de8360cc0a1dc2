import Testing

@testable import DefenderEmulator

/// `PowerShellText.table` as `Format-Table -AutoSize | Out-String` prints it: padded columns,
/// numeric ones right-aligned, trailing blanks trimmed from every line.
@Suite struct PowerShellTextTests {
  @Test func tableTrimsTrailingBlanksOnly() {
    let text = PowerShellText.table(
      [.init(name: "Name"), .init(name: "Id", numeric: true), .init(name: "Path")],
      [["lsass", "712", ""], ["svchost", "1", "C:\\Windows\\svchost.exe"], ["é ", "3", " "]])
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    #expect(
      lines == [
        "", "Name     Id Path", "----     -- ----", "lsass   712",
        "svchost   1 C:\\Windows\\svchost.exe",
        "é         3", "", "", "",
      ])
  }
}
