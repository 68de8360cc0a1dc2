<#
.SYNOPSIS
    Lists autostart (persistence) entries: Run keys, services, scheduled tasks, startup
    folders and WMI event subscriptions.

.DESCRIPTION
    Prints one row per autostart entry to standard output with its category, location, entry
    name, command, the resolved image file and that file's Authenticode status and signer:

        Registry Run     HKLM, HKLM\...\Wow6432Node and every loaded user hive (HKU\<SID>):
                         Run, RunOnce, RunOnceEx, RunServices, RunServicesOnce,
                         Policies\Explorer\Run; Winlogon Userinit/Shell/Taskman;
                         AppInit_DLLs; Image File Execution Options "Debugger" values
        Service          services and drivers that start automatically (Boot, System, Auto)
        Scheduled task   enabled scheduled tasks and their actions
        Startup folder   the all-users and per-user Startup folders (shortcuts resolved)
        WMI              root\subscription event filters, CommandLine/ActiveScript consumers,
                         and filter-to-consumer bindings

.PARAMETER HideMicrosoft
    Omit entries whose image is validly signed by Microsoft (like Sysinternals Autoruns'
    "Hide Microsoft entries"). Entries whose image cannot be resolved are always shown.

.PARAMETER Format
    Table (default), Csv or List.

.EXAMPLE
    Get-Autoruns.ps1

.EXAMPLE
    Get-Autoruns.ps1 -HideMicrosoft -Format Csv

.NOTES
    lr:output table (lr reads the default Format-Table as rows; Csv and List are detected).
    Runs under the Defender for Endpoint agent as SYSTEM. Windows PowerShell 5.1 compatible.
    Only user hives loaded at the time (logged-on users) are read. Exit code 0 on success;
    non-zero with "ERROR: ..." on standard error otherwise.
#>
[CmdletBinding()]
param(
    [switch]$HideMicrosoft,

    [ValidateSet('Table', 'Csv', 'List')]
    [string]$Format = 'Table'
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

# The file a command line starts ("C:\a b\x.exe" /s, %windir%\x.exe, \SystemRoot\..., x.exe).
function Get-ImagePath {
    param([string]$Command)
    if ([string]::IsNullOrWhiteSpace($Command)) { return $null }
    $c = [Environment]::ExpandEnvironmentVariables($Command.Trim())
    if ($c.StartsWith('"')) {
        $end = $c.IndexOf('"', 1)
        if ($end -gt 1) { $c = $c.Substring(1, $end - 1) }
    }
    elseif ($c -match '^(.+?\.(exe|dll|sys|com|scr|cpl|bat|cmd|ps1|vbs|js|lnk))(\s|,|$)') {
        $c = $Matches[1]
    }
    else {
        $c = ($c -split '\s+')[0]
    }
    $c = $c -replace '^\\\?\?\\', ''
    $c = $c -replace '^(?i)\\SystemRoot\\', ($env:SystemRoot + '\')
    if ($c -match '^(?i)system32\\') { $c = Join-Path $env:SystemRoot $c }
    if (-not [System.IO.Path]::IsPathRooted($c)) {
        $found = Get-Command $c -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
        if ($found) { $c = $found.Path } else { return $null }
    }
    if (Test-Path -LiteralPath $c -PathType Leaf) { return $c }
    return $null
}

$script:SignatureCache = @{}
$script:Rows = New-Object System.Collections.Generic.List[object]

function Add-Entry {
    param([string]$Category, [string]$Location, [string]$Entry, [string]$Command, [string]$Image = $null, [switch]$NoImage)
    $status = 'image not found'; $signer = ''
    if ($NoImage) { $status = 'n/a'; $Image = $null }
    elseif (-not $Image) { $Image = Get-ImagePath $Command }
    if ($Image) {
        if (-not $script:SignatureCache.ContainsKey($Image)) {
            $cached = @('unknown', '')
            try {
                $sig = Get-AuthenticodeSignature -LiteralPath $Image -ErrorAction Stop
                $name = ''
                if ($sig.SignerCertificate) { $name = $sig.SignerCertificate.GetNameInfo('SimpleName', $false) }
                $cached = @([string]$sig.Status, $name)
            }
            catch { }
            $script:SignatureCache[$Image] = $cached
        }
        $status = $script:SignatureCache[$Image][0]
        $signer = $script:SignatureCache[$Image][1]
    }
    if ($HideMicrosoft -and $status -eq 'Valid' -and $signer -like 'Microsoft*') { return }
    $script:Rows.Add([pscustomobject]@{
            Category = $Category; Location = $Location; Entry = $Entry; Command = $Command
            Image = $Image; Signature = $status; Signer = $signer
        })
}

function Add-RegistryValues {
    param([string]$Key, [string]$Category, [string[]]$Only = @())
    $item = Get-Item -LiteralPath ('Registry::' + $Key) -ErrorAction SilentlyContinue
    if ($null -eq $item) { return }
    foreach ($valueName in $item.GetValueNames()) {
        if ($Only.Count -gt 0 -and $Only -notcontains $valueName) { continue }
        $value = $item.GetValue($valueName, $null, 'DoNotExpandEnvironmentNames')
        if ($value -is [array]) { $value = $value -join ' ' }
        if ([string]::IsNullOrWhiteSpace([string]$value)) { continue }
        $entryName = $valueName
        if ($entryName -eq '') { $entryName = '(Default)' }
        Add-Entry -Category $Category -Location $Key -Entry $entryName -Command ([string]$value)
    }
}

try {
    # Registry
    $runKeys = @('Run', 'RunOnce', 'RunOnceEx', 'RunServices', 'RunServicesOnce', 'Policies\Explorer\Run')
    $roots = @('HKEY_LOCAL_MACHINE\SOFTWARE', 'HKEY_LOCAL_MACHINE\SOFTWARE\Wow6432Node')
    foreach ($sid in (Get-ChildItem -LiteralPath 'Registry::HKEY_USERS' -ErrorAction SilentlyContinue | ForEach-Object { $_.PSChildName })) {
        if ($sid -notlike '*_Classes') {
            $roots += "HKEY_USERS\$sid\SOFTWARE"
            $roots += "HKEY_USERS\$sid\SOFTWARE\Wow6432Node"
        }
    }
    foreach ($root in $roots) {
        foreach ($k in $runKeys) {
            Add-RegistryValues -Key "$root\Microsoft\Windows\CurrentVersion\$k" -Category 'Registry Run'
        }
    }
    Add-RegistryValues -Key 'HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Windows NT\CurrentVersion\Winlogon' -Category 'Winlogon' -Only @('Userinit', 'Shell', 'Taskman')
    Add-RegistryValues -Key 'HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Windows NT\CurrentVersion\Windows' -Category 'AppInit' -Only @('AppInit_DLLs')
    Add-RegistryValues -Key 'HKEY_LOCAL_MACHINE\SOFTWARE\Wow6432Node\Microsoft\Windows NT\CurrentVersion\Windows' -Category 'AppInit' -Only @('AppInit_DLLs')
    $ifeo = 'HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Windows NT\CurrentVersion\Image File Execution Options'
    foreach ($sub in (Get-ChildItem -LiteralPath "Registry::$ifeo" -ErrorAction SilentlyContinue)) {
        Add-RegistryValues -Key "$ifeo\$($sub.PSChildName)" -Category 'IFEO Debugger' -Only @('Debugger')
    }

    # Services and drivers that start without a user
    Get-CimInstance Win32_Service | Where-Object { $_.StartMode -eq 'Auto' } | Sort-Object Name | ForEach-Object {
        Add-Entry -Category 'Service' -Location 'HKLM\SYSTEM\CurrentControlSet\Services' -Entry $_.Name -Command $_.PathName
    }
    Get-CimInstance Win32_SystemDriver | Where-Object { $_.StartMode -in @('Boot', 'System', 'Auto') } | Sort-Object Name | ForEach-Object {
        Add-Entry -Category 'Driver' -Location 'HKLM\SYSTEM\CurrentControlSet\Services' -Entry $_.Name -Command $_.PathName
    }

    # Scheduled tasks
    if (Get-Command Get-ScheduledTask -ErrorAction SilentlyContinue) {
        Get-ScheduledTask | Where-Object { [string]$_.State -ne 'Disabled' } | ForEach-Object {
            $task = $_
            foreach ($action in @($task.Actions)) {
                if ($null -eq $action) { continue }
                if ($action.PSObject.Properties['Execute'] -and $action.Execute) {
                    $command = ('{0} {1}' -f $action.Execute, $action.Arguments).Trim()
                    if ($action.Execute -notmatch '^\s*"' -and $action.Execute -match '\s') { $command = ('"{0}" {1}' -f $action.Execute, $action.Arguments).Trim() }
                    Add-Entry -Category 'Scheduled task' -Location $task.TaskPath -Entry $task.TaskName -Command $command
                }
                elseif ($action.PSObject.Properties['ClassId'] -and $action.ClassId) {
                    Add-Entry -Category 'Scheduled task' -Location $task.TaskPath -Entry $task.TaskName -Command ('COM handler {0} {1}' -f $action.ClassId, $action.Data).Trim()
                }
            }
        }
    }
    else {
        Add-Entry -Category 'Scheduled task' -Location '(Get-ScheduledTask unavailable)' -Entry '' -Command 'run: schtasks /query /fo LIST /v'
    }

    # Startup folders
    $shell = $null
    try { $shell = New-Object -ComObject WScript.Shell } catch { }
    $folders = @(Join-Path $env:ProgramData 'Microsoft\Windows\Start Menu\Programs\StartUp')
    $folders += @(Get-ChildItem -LiteralPath (Join-Path $env:SystemDrive 'Users') -Directory -Force -ErrorAction SilentlyContinue |
            ForEach-Object { Join-Path $_.FullName 'AppData\Roaming\Microsoft\Windows\Start Menu\Programs\Startup' })
    foreach ($folder in $folders) {
        foreach ($file in @(Get-ChildItem -LiteralPath $folder -File -Force -ErrorAction SilentlyContinue)) {
            if ($file.Name -eq 'desktop.ini') { continue }
            $command = $file.FullName
            $image = $file.FullName
            if ($file.Extension -eq '.lnk' -and $shell) {
                try {
                    $link = $shell.CreateShortcut($file.FullName)
                    $command = ('{0} {1}' -f $link.TargetPath, $link.Arguments).Trim()
                    if ($link.TargetPath) { $image = $link.TargetPath }
                }
                catch { }
            }
            Add-Entry -Category 'Startup folder' -Location $folder -Entry $file.Name -Command $command -Image $image
        }
    }

    # WMI event subscriptions (a classic fileless persistence)
    $ns = 'root\subscription'
    foreach ($f in @(Get-CimInstance -Namespace $ns -ClassName __EventFilter -ErrorAction SilentlyContinue)) {
        Add-Entry -Category 'WMI filter' -Location $ns -Entry $f.Name -Command $f.Query -NoImage
    }
    foreach ($c in @(Get-CimInstance -Namespace $ns -ClassName CommandLineEventConsumer -ErrorAction SilentlyContinue)) {
        $command = $c.CommandLineTemplate
        if (-not $command) { $command = $c.ExecutablePath }
        Add-Entry -Category 'WMI consumer' -Location "$ns CommandLineEventConsumer" -Entry $c.Name -Command $command
    }
    foreach ($c in @(Get-CimInstance -Namespace $ns -ClassName ActiveScriptEventConsumer -ErrorAction SilentlyContinue)) {
        $scriptRef = $c.ScriptFileName
        if (-not $scriptRef) { $scriptRef = ($c.ScriptText -replace '\s+', ' ') }
        Add-Entry -Category 'WMI consumer' -Location "$ns ActiveScriptEventConsumer ($($c.ScriptingEngine))" -Entry $c.Name -Command $scriptRef -NoImage
    }
    foreach ($b in @(Get-CimInstance -Namespace $ns -ClassName __FilterToConsumerBinding -ErrorAction SilentlyContinue)) {
        Add-Entry -Category 'WMI binding' -Location $ns -Entry ([string]$b.Filter) -Command ([string]$b.Consumer) -NoImage
    }

    $rows = @($script:Rows)
    if ($Format -ne 'Csv') {
        $unsigned = @($rows | Where-Object { $_.Signature -ne 'Valid' -and $_.Signature -ne 'n/a' }).Count
        Write-Output ('{0} autostart entries on {1} ({2} not validly signed or image not found){3}' -f $rows.Count, $env:COMPUTERNAME, $unsigned, $(if ($HideMicrosoft) { ', Microsoft-signed entries hidden' } else { '' }))
    }
    if ($rows.Count -gt 0) { Write-Report -Rows $rows -Format $Format }
}
catch {
    Stop-WithError $_.Exception.Message
}
