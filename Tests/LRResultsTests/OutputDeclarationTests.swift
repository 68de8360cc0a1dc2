import LRResults
import Testing

/// `# lr:output FORMAT` in a script's header comment, and nowhere else.
@Suite struct OutputDeclarationTests {
  @Test(arguments: [
    ("# lr:output json\nGet-Process | ConvertTo-Json\n", OutputFormat?.some(.json)),
    ("<#\n.SYNOPSIS\n    Lists things.\n.NOTES\n    lr:output table\n#>\nparam()\n", .table),
    ("<# lr:output list #>\n", .list),
    ("\u{FEFF}#Requires -Version 5.1\n\n#lr:output CSV\n", .csv),
    ("#!/usr/bin/env bash\n# autoruns.sh\n#\n# lr:output csv\nset -e\n", .csv),
    ("#!/bin/sh\necho hi\n# lr:output json\n", nil),
    ("<#\n.SYNOPSIS\n#>\nparam()\n# lr:output json\n", nil),
    ("# lr:output yaml\n", nil),
    ("# see also: xlr:output json\n", nil),
    ("", nil),
  ])
  func readsTheHeader(script: String, expected: OutputFormat?) {
    #expect(OutputDeclaration.format(inScript: script) == expected)
  }
}
