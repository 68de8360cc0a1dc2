<#
.SYNOPSIS
    Exports a Windows event log to .evtx and zips it for collection.

.DESCRIPTION
    Exports the named log with "wevtutil epl" (optionally only the last -Hours) and
    compresses it to C:\windows\TEMP\<LogName>.evtx.zip, ready for a Live Response GetFile.

    Characters that cannot appear in a file name are replaced by "-", so
        Security                                 -> C:\windows\TEMP\Security.evtx.zip
        Microsoft-Windows-Sysmon/Operational     -> C:\windows\TEMP\Microsoft-Windows-Sysmon-Operational.evtx.zip

    Standard output: a line naming the log and the time window, then the zip path and its
    size in MB as the last two lines. On failure: "ERROR: ..." on standard error and a
    non-zero exit code (2 = no such log, 1 = anything else).

.PARAMETER LogName
    Event log (channel) name, as listed by "wevtutil el" or Get-WinEvent -ListLog *, e.g.
    Security, System, Application, Microsoft-Windows-Sysmon/Operational,
    Microsoft-Windows-PowerShell/Operational.
    Live Response passes arguments split on spaces; a log name containing spaces
    (Microsoft-Windows-Windows Defender/Operational) arrives as several words, which the
    script joins again with single spaces.

.PARAMETER Hours
    Export only events from the last N hours. Default 0: the whole log.

.PARAMETER OutputDirectory
    Folder for the zip. Default: C:\windows\TEMP.

.EXAMPLE
    Export-EventLog.ps1 Security

.EXAMPLE
    Export-EventLog.ps1 Microsoft-Windows-Sysmon/Operational -Hours 48

.NOTES
    lr:output text (plain text: lr keeps it as output, with no rows).
    Runs under the Defender for Endpoint agent as SYSTEM (needed for the Security log).
    Windows PowerShell 5.1 compatible. Messages are rendered on the analysis machine from the
    providers' manifests; export from a machine with the same providers if they are custom.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory = $true, Position = 0)]
    [ValidatePattern('^[A-Za-z0-9 _.\-/]+$')]
    [string]$LogName,

    [Parameter(ValueFromRemainingArguments = $true)]
    [string[]]$MoreLogNameWords = @(),

    [ValidateRange(0, 87600)]
    [int]$Hours = 0,

    [ValidateNotNullOrEmpty()]
    [string]$OutputDirectory = 'C:\windows\TEMP'
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 2.0

function Stop-WithError {
    param([string]$Message, [int]$ExitCode = 1)
    [Console]::Error.WriteLine("ERROR: $Message")
    exit $ExitCode
}

# Runs wevtutil and returns its output; throws with that output when it fails.
function Invoke-Wevtutil {
    param([string[]]$ArgumentList)
    $ErrorActionPreference = 'Continue'
    $output = & wevtutil.exe @ArgumentList 2>&1 | ForEach-Object { "$_" }
    if ($LASTEXITCODE -ne 0) {
        throw ('wevtutil {0} failed (exit code {1}): {2}' -f $ArgumentList[0], $LASTEXITCODE, ($output -join ' '))
    }
    $output
}

$evtxPath = $null
try {
    if ($MoreLogNameWords.Count -gt 0) {
        $LogName = (@($LogName) + $MoreLogNameWords) -join ' '
        if ($LogName -notmatch '^[A-Za-z0-9 _.\-/]+$') {
            Stop-WithError "Invalid log name: '$LogName'"
        }
    }

    if (-not (Test-Path -LiteralPath $OutputDirectory -PathType Container)) {
        Stop-WithError "Output directory does not exist: $OutputDirectory"
    }

    $log = Get-WinEvent -ListLog $LogName -ErrorAction SilentlyContinue
    if ($null -eq $log) {
        Stop-WithError "No event log named '$LogName' on this device (see: wevtutil el)." 2
    }

    $fileBase = $LogName
    foreach ($c in [System.IO.Path]::GetInvalidFileNameChars()) {
        $fileBase = $fileBase.Replace([string]$c, '-')
    }
    $evtxPath = Join-Path $OutputDirectory ($fileBase + '.evtx')
    $zipPath = Join-Path $OutputDirectory ($fileBase + '.evtx.zip')

    $arguments = @('epl', $LogName, $evtxPath, '/ow:true')
    if ($Hours -gt 0) {
        $milliseconds = [int64]$Hours * 3600 * 1000
        $arguments += "/q:*[System[TimeCreated[timediff(@SystemTime) <= $milliseconds]]]"
        $window = "last $Hours h"
    }
    else {
        $window = 'all events'
    }
    Invoke-Wevtutil -ArgumentList $arguments | Out-Null

    Add-Type -AssemblyName System.IO.Compression
    Add-Type -AssemblyName System.IO.Compression.FileSystem
    if (Test-Path -LiteralPath $zipPath) { Remove-Item -LiteralPath $zipPath -Force }
    $archive = [System.IO.Compression.ZipFile]::Open($zipPath, [System.IO.Compression.ZipArchiveMode]::Create)
    try {
        [void][System.IO.Compression.ZipFileExtensions]::CreateEntryFromFile(
            $archive, $evtxPath, [System.IO.Path]::GetFileName($evtxPath),
            [System.IO.Compression.CompressionLevel]::Optimal)
    }
    finally {
        $archive.Dispose()
    }
    $zip = Get-Item -LiteralPath $zipPath

    Write-Output ('Exported {0} ({1}; log holds {2} records, {3} MB on disk)' -f $LogName, $window, $log.RecordCount, [math]::Round($log.FileSize / 1MB))
    Write-Output $zipPath
    Write-Output ('{0} MB' -f [math]::Round($zip.Length / 1MB))
}
catch {
    Stop-WithError $_.Exception.Message
}
finally {
    if ($evtxPath -and (Test-Path -LiteralPath $evtxPath)) {
        Remove-Item -LiteralPath $evtxPath -Force -ErrorAction SilentlyContinue
    }
}
