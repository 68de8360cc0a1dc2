extension Scenario {
  /// What the stdlib's Windows scripts print on the demo fleet, as the real scripts print it:
  /// a summary line, then `Format-Table -AutoSize` (processes, services, autoruns) or
  /// `Format-List` (file hash) through `Out-String`.
  enum DemoOutputs {
    static let processColumns: [PowerShellText.Column] = [
      .init(name: "Id", numeric: true), .init(name: "ParentId", numeric: true),
      .init(name: "Parent"), .init(name: "ProcessName"), .init(name: "Owner"),
      .init(name: "Session", numeric: true), .init(name: "StartedUtc"), .init(name: "Path"),
      .init(name: "CommandLine"),
    ]

    static let system32 = "C:\\Windows\\System32\\"
    static let sense =
      "C:\\Program Files\\Windows Defender Advanced Threat Protection\\MsSense.exe"
    static let clickToRun =
      "C:\\Program Files\\Common Files\\microsoft shared\\ClickToRun\\OfficeClickToRun.exe"

    /// The processes every Windows machine runs.
    static let baseProcesses: [[String]] = [
      ["4", "0", "", "System", "", "0", "2026-01-05 07:58:01Z", "", ""],
      [
        "404", "4", "System", "smss.exe", "NT AUTHORITY\\SYSTEM", "0", "2026-01-05 07:58:02Z",
        system32 + "smss.exe", "\\SystemRoot\\System32\\smss.exe",
      ],
      [
        "628", "548", "", "wininit.exe", "NT AUTHORITY\\SYSTEM", "0", "2026-01-05 07:58:04Z",
        system32 + "wininit.exe", "wininit.exe",
      ],
      [
        "712", "628", "wininit.exe", "services.exe", "NT AUTHORITY\\SYSTEM", "0",
        "2026-01-05 07:58:04Z", system32 + "services.exe", "C:\\Windows\\system32\\services.exe",
      ],
      [
        "868", "628", "wininit.exe", "lsass.exe", "NT AUTHORITY\\SYSTEM", "0",
        "2026-01-05 07:58:04Z", system32 + "lsass.exe", "C:\\Windows\\system32\\lsass.exe",
      ],
      [
        "1204", "712", "services.exe", "svchost.exe", "NT AUTHORITY\\SYSTEM", "0",
        "2026-01-05 07:58:05Z", system32 + "svchost.exe",
        "C:\\Windows\\system32\\svchost.exe -k DcomLaunch -p",
      ],
      [
        "1388", "712", "services.exe", "svchost.exe", "NT AUTHORITY\\NETWORK SERVICE", "0",
        "2026-01-05 07:58:05Z", system32 + "svchost.exe",
        "C:\\Windows\\system32\\svchost.exe -k RPCSS -p",
      ],
      [
        "3320", "712", "services.exe", "MsSense.exe", "NT AUTHORITY\\SYSTEM", "0",
        "2026-01-05 07:58:11Z", sense, "\"\(sense)\"",
      ],
      [
        "4012", "712", "services.exe", "OfficeClickToRun.exe", "NT AUTHORITY\\SYSTEM", "0",
        "2026-01-05 07:58:12Z", clickToRun, "\"\(clickToRun)\" /service",
      ],
    ]

    /// A signed-in user's processes on a workstation.
    static let desktopProcesses: [[String]] = [
      [
        "6124", "6088", "", "explorer.exe", "CONTOSO\\analyst", "1", "2026-01-05 08:03:40Z",
        "C:\\Windows\\explorer.exe", "C:\\Windows\\Explorer.EXE",
      ],
      [
        "7344", "6124", "explorer.exe", "chrome.exe", "CONTOSO\\analyst", "1",
        "2026-01-05 08:05:13Z", "C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe",
        "\"C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe\"",
      ],
    ]

    /// A second lsass.exe, started by the user from a public folder (ws-0142: the odd one out).
    static let oddLsass: [[String]] = [
      [
        "5512", "6124", "explorer.exe", "lsass.exe", "CONTOSO\\analyst", "1",
        "2026-01-05 09:12:55Z", "C:\\Users\\Public\\lsass.exe",
        "C:\\Users\\Public\\lsass.exe -k netsvcs",
      ]
    ]

    /// A domain controller's own services.
    static let domainControllerProcesses: [[String]] = [
      [
        "2480", "712", "services.exe", "dns.exe", "NT AUTHORITY\\SYSTEM", "0",
        "2026-01-05 07:58:09Z", system32 + "dns.exe", "C:\\Windows\\system32\\dns.exe",
      ],
      [
        "2532", "712", "services.exe", "dfsrs.exe", "NT AUTHORITY\\SYSTEM", "0",
        "2026-01-05 07:58:09Z", system32 + "dfsrs.exe", "C:\\Windows\\system32\\DFSRs.exe",
      ],
      [
        "2604", "712", "services.exe", "Microsoft.ActiveDirectory.WebServices.exe",
        "NT AUTHORITY\\SYSTEM", "0", "2026-01-05 07:58:10Z",
        "C:\\Windows\\ADWS\\Microsoft.ActiveDirectory.WebServices.exe",
        "C:\\Windows\\ADWS\\Microsoft.ActiveDirectory.WebServices.exe",
      ],
    ]

    /// `Get-Processes.ps1`'s output for these rows (sorted by Id, as the script sorts them).
    static func processes(_ rows: [[String]]) -> String {
      let sorted = rows.sorted { (Int($0[0]) ?? 0) < (Int($1[0]) ?? 0) }
      return
        "\(sorted.count) of \(sorted.count + 131) processes on {machine} at 2026-01-05 10:00:00Z\n"
        + PowerShellText.table(processColumns, sorted)
    }

    static let workstationProcesses = processes(baseProcesses + desktopProcesses)
    static let oddLsassProcesses = processes(baseProcesses + desktopProcesses + oddLsass)
    static let serverProcesses = processes(baseProcesses)
    static let domainControllerProcessList = processes(baseProcesses + domainControllerProcesses)
  }
}

extension Scenario.DemoOutputs {
  static let serviceColumns: [PowerShellText.Column] = [
    .init(name: "Name"), .init(name: "DisplayName"), .init(name: "State"),
    .init(name: "StartMode"), .init(name: "PID", numeric: true), .init(name: "Account"),
    .init(name: "PathName"),
  ]

  /// `Get-Services.ps1`: the summary line and the services table.
  static let services: String = {
    let rows: [[String]] = [
      [
        "ClickToRunSvc", "Microsoft Office Click-to-Run Service", "Running", "Auto", "4012",
        "LocalSystem", "\"\(clickToRun)\" /service",
      ],
      [
        "Dnscache", "DNS Client", "Running", "Auto", "1388", "NT AUTHORITY\\NetworkService",
        "C:\\Windows\\system32\\svchost.exe -k NetworkService -p",
      ],
      [
        "EventLog", "Windows Event Log", "Running", "Auto", "1204", "NT AUTHORITY\\LocalService",
        "C:\\Windows\\System32\\svchost.exe -k LocalServiceNetworkRestricted -p",
      ],
      [
        "RemoteRegistry", "Remote Registry", "Stopped", "Disabled", "0",
        "NT AUTHORITY\\LocalService",
        "C:\\Windows\\system32\\svchost.exe -k localService -p",
      ],
      [
        "Sense", "Windows Defender Advanced Threat Protection Service", "Running", "Auto", "3320",
        "LocalSystem", "\"\(sense)\"",
      ],
      [
        "WinDefend", "Microsoft Defender Antivirus Service", "Running", "Auto", "2960",
        "LocalSystem",
        "\"C:\\ProgramData\\Microsoft\\Windows Defender\\platform\\4.18.25010.11-0\\MsMpEng.exe\"",
      ],
    ]
    return "\(rows.count) services (5 running) on {machine}\n"
      + PowerShellText.table(serviceColumns, rows)
  }()

  static let autorunColumns: [PowerShellText.Column] = [
    .init(name: "Category"), .init(name: "Location"), .init(name: "Entry"),
    .init(name: "Command"), .init(name: "Image"), .init(name: "Signature"), .init(name: "Signer"),
  ]

  /// `Get-Autoruns.ps1`: the summary line and the autostart entries (the updater's image is
  /// gone from disk, so it is `image not found`).
  static let autoruns: String = {
    let run = "\\Software\\Microsoft\\Windows\\CurrentVersion\\Run"
    let rows: [[String]] = [
      [
        "Run key", "HKLM" + run, "SecurityHealth",
        "%windir%\\system32\\SecurityHealthSystray.exe",
        "C:\\Windows\\system32\\SecurityHealthSystray.exe", "Valid", "Microsoft Windows",
      ],
      [
        "Run key", "HKCU" + run, "Updater", "C:\\Users\\Public\\updater.exe", "", "image not found",
        "",
      ],
      [
        "Winlogon", "HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Winlogon", "Userinit",
        "C:\\Windows\\system32\\userinit.exe,", "C:\\Windows\\system32\\userinit.exe", "Valid",
        "Microsoft Windows",
      ],
      [
        "Scheduled task", "\\Microsoft\\Windows\\Defrag", "ScheduledDefrag",
        "%windir%\\system32\\defrag.exe -c -h -o -$", "C:\\Windows\\system32\\defrag.exe", "Valid",
        "Microsoft Windows",
      ],
      [
        "Service", "HKLM\\System\\CurrentControlSet\\Services", "Sense", "\"\(sense)\"", sense,
        "Valid", "Microsoft Windows Publisher",
      ],
    ]
    return
      "\(rows.count) autostart entries on {machine} (1 not validly signed or image not found)\n"
      + PowerShellText.table(autorunColumns, rows)
  }()

  /// `Get-FileHash.ps1 <path>`: the file's report as a list (the lab knows the path and the
  /// hash of the arguments; the other fields are the lab's).
  static let fileHash = PowerShellText.list([
    [
      ("Path", "{args}"), ("Size", "2097152"), ("SHA256", "{argsHash}"),
      ("CreationTimeUtc", "2026-01-05 09:12:40Z"), ("LastWriteTimeUtc", "2026-01-05 09:12:41Z"),
      ("Attributes", "Archive"), ("SignatureStatus", "NotSigned"), ("Signer", ""),
      ("ZoneId", "3"), ("HostUrl", ""),
    ]
  ])
}
