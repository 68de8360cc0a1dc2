import LRResults
import Testing

/// The transcript's own noise goes; the script's output stays as it was.
@Suite struct TranscriptCleanerTests {
  @Test func dropsTheTranscriptNoticeAndTrailingNULs() {
    let transcript =
      "Transcript started, output file is C:\\ProgramData\\Microsoft\\Windows Defender Advanced "
      + "Threat Protection\\Temp\\PSScriptOutputs\\PSScript_Transcript_1.txt\n"
      + "C:\\windows\\TEMP\\OfficeClickToRun.dmp.zip\n51 MB\n\u{0}\u{0}\u{0}"
    #expect(
      TranscriptCleaner.clean(transcript) == "C:\\windows\\TEMP\\OfficeClickToRun.dmp.zip\n51 MB\n")
  }

  @Test func dropsPowerShellTranscriptHeaderAndFooterBlocks() {
    let stars = String(repeating: "*", count: 22)
    let transcript = """
      \(stars)\r
      Windows PowerShell transcript start\r
      Start time: 20260101120000\r
      Username: CONTOSO\\SYSTEM\r
      Machine: WS-0142 (Microsoft Windows NT 10.0.22631.0)\r
      \(stars)\r
      Transcript started, output file is C:\\x.txt\r
      Name : a\r
      \(stars)\r
      Command start time: 20260101120001\r
      \(stars)\r
      Id   : 1\r
      \(stars)\r
      Windows PowerShell transcript end\r
      End time: 20260101120002\r
      \(stars)\r

      """
    #expect(TranscriptCleaner.clean(transcript) == "Name : a\nId   : 1\n")
  }

  @Test func keepsStarsAndNULsThatAreTheScriptsOwn() {
    let text = "**********\nnot a block\n\u{0}middle\nend"
    #expect(TranscriptCleaner.clean(text) == text)
    #expect(TranscriptCleaner.clean("") == "")
  }
}
