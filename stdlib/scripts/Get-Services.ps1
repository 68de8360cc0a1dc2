<#
.SYNOPSIS
    Lists Windows services with state, start mode, account and image path.

.DESCRIPTION
    Prints one row per service (Win32_Service) to standard output: name, display name, state,
    start mode, process id, account and the full image path with arguments. With
    -IncludeSignature, also the Authenticode status and signer of the service binary, which
    makes unsigned services installed by an intruder stand out.

.PARAMETER Name
    Only services whose name or display name matches this wildcard pattern. Default: all.

.PARAMETER State
    All (default), Running or Stopped.

.PARAMETER Format
    Table (default), Csv or List.

.PARAMETER IncludeSignature
    Add Signature and Signer columns for the service binary.

.EXAMPLE
    Get-Services.ps1

.EXAMPLE
    Get-Services.ps1 -State Running -IncludeSignature -Format Csv

.NOTES
    lr:output table (lr reads the default Format-Table as rows; Csv and List are detected).
    Runs under the Defender for Endpoint agent as SYSTEM. Windows PowerShell 5.1 compatible.
    Exit code 0 on success; non-zero with "ERROR: ..." on standard error otherwise.
#>
[CmdletBinding()]
param(
    [Parameter(Position = 0)]
    [ValidatePattern('^[A-Za-z0-9_.\-*? ]+$')]
    [string]$Name = '*',

    [ValidateSet('All', 'Running', 'Stopped')]
    [string]$State = 'All',

    [ValidateSet('Table', 'Csv', 'List')]
    [string]$Format = 'Table',

    [switch]$IncludeSignature
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 2.0

function Stop-WithError {
    param([string]$Message, [int]$ExitCode = 1)
    [Console]::Error.WriteLine("ERROR: $Message")
    exit $ExitCode
}

function Write-Report {
    param([object[]]$Rows, [string]$Format)
    switch ($Format) {
        'Csv' { $Rows | ConvertTo-Csv -NoTypeInformation }
        'List' { $Rows | Format-List * | Out-String -Width 4096 }
        default { $Rows | Format-Table -AutoSize | Out-String -Width 4096 }
    }
}

# The executable in a service ImagePath ("C:\x\y.exe" -k netsvcs, \SystemRoot\..., etc.).
function Get-ImagePath {
    param([string]$Command)
    if ([string]::IsNullOrWhiteSpace($Command)) { return $null }
    $c = [Environment]::ExpandEnvironmentVariables($Command.Trim())
    if ($c.StartsWith('"')) {
        $end = $c.IndexOf('"', 1)
        if ($end -gt 1) { $c = $c.Substring(1, $end - 1) }
    }
    elseif ($c -match '^(.+?\.(exe|dll|sys|com))(\s|$)') {
        $c = $Matches[1]
    }
    $c = $c -replace '^\\\?\?\\', ''
    $c = $c -replace '^(?i)\\SystemRoot\\', ($env:SystemRoot + '\')
    if ($c -match '^(?i)system32\\') { $c = Join-Path $env:SystemRoot $c }
    if (Test-Path -LiteralPath $c -PathType Leaf) { return $c }
    return $null
}

try {
    $services = @(Get-CimInstance Win32_Service | Where-Object {
            ($_.Name -like $Name -or $_.DisplayName -like $Name) -and
            ($State -eq 'All' -or $_.State -eq $State)
        } | Sort-Object Name)

    $signatureCache = @{}
    $rows = @(foreach ($s in $services) {
            $row = [ordered]@{
                Name        = $s.Name
                DisplayName = $s.DisplayName
                State       = $s.State
                StartMode   = $s.StartMode
                PID         = $s.ProcessId
                Account     = $s.StartName
                PathName    = $s.PathName
            }
            if ($IncludeSignature) {
                $image = Get-ImagePath $s.PathName
                $status = ''; $signer = ''
                if ($image) {
                    if (-not $signatureCache.ContainsKey($image)) {
                        $entry = @('unknown', '')
                        try {
                            $sig = Get-AuthenticodeSignature -LiteralPath $image -ErrorAction Stop
                            $entry = @([string]$sig.Status, $(if ($sig.SignerCertificate) { $sig.SignerCertificate.GetNameInfo('SimpleName', $false) } else { '' }))
                        }
                        catch { }
                        $signatureCache[$image] = $entry
                    }
                    $status = $signatureCache[$image][0]; $signer = $signatureCache[$image][1]
                }
                else {
                    $status = 'image not found'
                }
                $row.Signature = $status
                $row.Signer = $signer
            }
            [pscustomobject]$row
        })

    if ($Format -ne 'Csv') {
        $running = @($rows | Where-Object { $_.State -eq 'Running' }).Count
        Write-Output ('{0} services ({1} running) on {2}' -f $rows.Count, $running, $env:COMPUTERNAME)
    }
    if ($rows.Count -gt 0) { Write-Report -Rows $rows -Format $Format }
}
catch {
    Stop-WithError $_.Exception.Message
}
