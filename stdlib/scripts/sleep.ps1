<#
.SYNOPSIS
    Sleeps for a number of seconds: a harmless script for cancel and timeout exercises.

.DESCRIPTION
    Prints when it starts, sleeps, and prints when it is done. Live Response stops a RunScript
    after 10 minutes, so "sleep.ps1 900" demonstrates a TimeOut, and a long sleep is a safe
    way to practise cancelling an action.

.PARAMETER Seconds
    How long to sleep, 0 to 86400.

.EXAMPLE
    sleep.ps1 30

.NOTES
    lr:output text (plain text: lr keeps it as output, with no rows).
    Windows PowerShell 5.1 compatible. Exit code 0 when the sleep completes.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory = $true, Position = 0)]
    [ValidateRange(0, 86400)]
    [int]$Seconds
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 2.0

try {
    Write-Output ('sleeping {0} seconds on {1} from {2}' -f $Seconds, $env:COMPUTERNAME, (Get-Date).ToUniversalTime().ToString('u'))
    Start-Sleep -Seconds $Seconds
    Write-Output ('slept {0} seconds' -f $Seconds)
}
catch {
    [Console]::Error.WriteLine("ERROR: $($_.Exception.Message)")
    exit 1
}
