<#
.SYNOPSIS
    Lists running processes with parent, owner, start time, path and command line.

.DESCRIPTION
    Prints one row per process (Win32_Process) to standard output, as a wide table (default),
    CSV or list: Id, ParentId, Parent, ProcessName, owner, session, start time (UTC), executable
    path and command line; with -IncludeHash also the SHA-256 and Authenticode status of each
    executable.

.PARAMETER Name
    Only processes whose name matches this wildcard pattern (e.g. "power*", "lsass.exe").
    Default: all processes.

.PARAMETER Format
    Table (default), Csv or List.

.PARAMETER IncludeHash
    Add SHA256 and Signature columns (slower: each executable is read once).

.EXAMPLE
    Get-Processes.ps1

.EXAMPLE
    Get-Processes.ps1 -Name "power*" -Format List -IncludeHash

.NOTES
    lr:output table (lr reads the default Format-Table as rows; Csv and List are detected).
    Runs under the Defender for Endpoint agent as SYSTEM. Windows PowerShell 5.1 compatible.
    Exit code 0 on success (also when no process matches); non-zero with "ERROR: ..." on
    standard error if the process list cannot be read.
#>
[CmdletBinding()]
param(
    [Parameter(Position = 0)]
    [ValidatePattern('^[A-Za-z0-9_.\-*?]+$')]
    [string]$Name = '*',

    [ValidateSet('Table', 'Csv', 'List')]
    [string]$Format = 'Table',

    [switch]$IncludeHash
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 2.0

function Stop-WithError {
    param([string]$Message, [int]$ExitCode = 1)
    [Console]::Error.WriteLine("ERROR: $Message")
    exit $ExitCode
}

function Format-Utc {
    param($Value)
    if ($null -eq $Value) { return '' }
    try { return ([datetime]$Value).ToUniversalTime().ToString('u') } catch { return [string]$Value }
}

function Write-Report {
    param([object[]]$Rows, [string]$Format)
    switch ($Format) {
        'Csv' { $Rows | ConvertTo-Csv -NoTypeInformation }
        'List' { $Rows | Format-List * | Out-String -Width 4096 }
        default { $Rows | Format-Table -AutoSize | Out-String -Width 4096 }
    }
}

try {
    $all = @(Get-CimInstance Win32_Process)
    $names = @{}
    foreach ($p in $all) { $names[[int]$p.ProcessId] = $p.Name }

    $pattern = $Name
    $selected = @($all | Where-Object { $_.Name -like $pattern -or ($_.Name -replace '\.exe$', '') -like $pattern } | Sort-Object ProcessId)

    $hashCache = @{}
    $rows = foreach ($p in $selected) {
        $owner = ''
        try {
            $o = Invoke-CimMethod -InputObject $p -MethodName GetOwner -ErrorAction Stop
            if ($o.ReturnValue -eq 0) { $owner = '{0}\{1}' -f $o.Domain, $o.User }
        }
        catch { }
        $row = [ordered]@{
            Id          = $p.ProcessId
            ParentId    = $p.ParentProcessId
            Parent      = $names[[int]$p.ParentProcessId]
            ProcessName = $p.Name
            Owner       = $owner
            Session     = $p.SessionId
            StartedUtc  = Format-Utc $p.CreationDate
            Path        = $p.ExecutablePath
            CommandLine = $p.CommandLine
        }
        if ($IncludeHash) {
            $exe = $p.ExecutablePath
            if ($exe -and -not $hashCache.ContainsKey($exe)) {
                $hash = 'unreadable'; $signature = 'unknown'
                try { $hash = (Get-FileHash -LiteralPath $exe -Algorithm SHA256 -ErrorAction Stop).Hash } catch { }
                try { $signature = [string](Get-AuthenticodeSignature -LiteralPath $exe -ErrorAction Stop).Status } catch { }
                $hashCache[$exe] = @($hash, $signature)
            }
            if ($exe) { $row.SHA256 = $hashCache[$exe][0]; $row.Signature = $hashCache[$exe][1] }
            else { $row.SHA256 = ''; $row.Signature = '' }
        }
        [pscustomobject]$row
    }
    $rows = @($rows)

    if ($Format -ne 'Csv') {
        Write-Output ('{0} of {1} processes on {2} at {3}' -f $rows.Count, $all.Count, $env:COMPUTERNAME, (Format-Utc (Get-Date)))
    }
    if ($rows.Count -gt 0) { Write-Report -Rows $rows -Format $Format }
}
catch {
    Stop-WithError $_.Exception.Message
}
