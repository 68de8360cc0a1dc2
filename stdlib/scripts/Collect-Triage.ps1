<#
.SYNOPSIS
    Collects a first-response triage package from a Windows device into one zip.

.DESCRIPTION
    Gathers volatile and persistence data an analyst needs first, as CSV (or text where
    only a native tool exists), into a staging folder, then zips it to
    C:\windows\TEMP\triage.zip for a Live Response GetFile:

        system.csv             OS, build, boot time, domain, logged-on user, time zone
        processes.csv          processes with parent, owner, command line, start time
        process-hashes.csv     SHA-256 and signature of every running executable
        services.csv           services with state, start mode, account, image path
        tcp.csv, udp.csv       network connections/listeners with owning process
        ipconfig.txt           ipconfig /all, route print, arp -a
        dns-cache.csv          DNS client cache
        scheduled-tasks.csv    scheduled tasks with actions, triggers, principal
        autoruns.csv           Run/RunOnce keys (HKLM, Wow6432Node, every loaded user hive),
                               Winlogon, AppInit_DLLs, IFEO debuggers, startup folders
        prefetch.csv           C:\Windows\Prefetch listing (name, size, times)
        eventlog-summary.csv   event counts per log and id over the last -Hours
        eventlog-notable.csv   notable events (logons, new services, log clearing, ...)
        local-users.csv        local accounts
        local-admins.csv       members of BUILTIN\Administrators (S-1-5-32-544)
        sessions.txt           quser output
        collection.csv         what each section collected, how long it took, errors
        manifest.csv           SHA-256 of every file in the package

    A section that fails does not stop the collection: its error is recorded in
    collection.csv and errors.txt. The script exits non-zero only if no zip could be made.

    Standard output: a per-section summary, then the zip path and its size in MB as the
    last two lines.

.PARAMETER Hours
    How far back event log summaries reach. Default: 24.

.PARAMETER OutputPath
    Zip to write. Default: C:\windows\TEMP\triage.zip.

.EXAMPLE
    Collect-Triage.ps1
    Live Response: run Collect-Triage.ps1, then getfile C:\windows\TEMP\triage.zip

.EXAMPLE
    Collect-Triage.ps1 -Hours 72

.NOTES
    lr:output text (plain text: lr keeps it as output, with no rows).
    Runs under the Defender for Endpoint agent as SYSTEM. Windows PowerShell 5.1 compatible;
    on older systems missing a cmdlet (Get-NetTCPConnection, Get-ScheduledTask,
    Get-LocalUser, Get-DnsClientCache) the section falls back to netstat, schtasks, net and
    ipconfig. Live Response stops a script after 10 minutes; a typical run takes 1-3.
#>
[CmdletBinding()]
param(
    [Parameter(Position = 0)]
    [ValidateRange(1, 720)]
    [int]$Hours = 24,

    [Parameter(Position = 1)]
    [ValidatePattern('^[A-Za-z]:\\.+\.zip$')]
    [string]$OutputPath = 'C:\windows\TEMP\triage.zip'
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 2.0

function Stop-WithError {
    param([string]$Message, [int]$ExitCode = 1)
    [Console]::Error.WriteLine("ERROR: $Message")
    exit $ExitCode
}

# Runs a native program and returns its output lines (stdout and stderr) as strings.
# Windows PowerShell 5.1 turns redirected native stderr into error records, which would be
# terminating under ErrorActionPreference=Stop; the preference is relaxed locally.
function Invoke-Native {
    param([string]$FilePath, [string[]]$ArgumentList = @())
    if (-not (Get-Command $FilePath -CommandType Application -ErrorAction SilentlyContinue)) {
        throw "$FilePath is not available on this device"
    }
    $ErrorActionPreference = 'Continue'
    & $FilePath @ArgumentList 2>&1 | ForEach-Object { "$_" }
}

function Format-Utc {
    param($Value)
    if ($null -eq $Value) { return '' }
    try { return ([datetime]$Value).ToUniversalTime().ToString('u') } catch { return [string]$Value }
}

$script:Sections = New-Object System.Collections.Generic.List[object]

# Runs one collection block and saves what it returns: objects to CSV, strings to text.
function Invoke-Section {
    param([string]$Name, [string]$FileName, [scriptblock]$Collect)
    $path = Join-Path $script:Stage $FileName
    $watch = [System.Diagnostics.Stopwatch]::StartNew()
    try {
        $data = @(& $Collect)
        # Fallbacks to native tools return text lines: those are saved as text, not CSV.
        $isText = ($data.Count -gt 0 -and $data[0] -is [string])
        if ($isText -and $FileName -like '*.csv') { $path = [System.IO.Path]::ChangeExtension($path, '.txt') }
        if ($FileName -like '*.csv' -and -not $isText) {
            if ($data.Count -gt 0) {
                $data | Export-Csv -LiteralPath $path -NoTypeInformation -Encoding UTF8
            }
            else {
                Set-Content -LiteralPath $path -Value '' -Encoding UTF8
            }
        }
        else {
            $data | Out-String -Width 4096 | Set-Content -LiteralPath $path -Encoding UTF8
        }
        $script:Sections.Add([pscustomobject]@{
                Section = $Name; Status = 'OK'; Items = $data.Count
                Seconds = [math]::Round($watch.Elapsed.TotalSeconds, 1); File = [System.IO.Path]::GetFileName($path); Error = ''
            })
    }
    catch {
        $message = $_.Exception.Message
        Add-Content -LiteralPath (Join-Path $script:Stage 'errors.txt') -Value ('[{0}] {1}' -f $Name, $message) -Encoding UTF8
        $script:Sections.Add([pscustomobject]@{
                Section = $Name; Status = 'FAILED'; Items = 0
                Seconds = [math]::Round($watch.Elapsed.TotalSeconds, 1); File = $FileName; Error = $message
            })
    }
}

# Registry values under a key, unexpanded, as autorun rows.
function Get-RegistryValueRows {
    param([string]$Key, [string]$Category, [string[]]$Only = @())
    $rows = @()
    $item = Get-Item -LiteralPath ('Registry::' + $Key) -ErrorAction SilentlyContinue
    if ($null -eq $item) { return $rows }
    foreach ($valueName in $item.GetValueNames()) {
        if ($Only.Count -gt 0 -and $Only -notcontains $valueName) { continue }
        $value = $item.GetValue($valueName, $null, 'DoNotExpandEnvironmentNames')
        if ($value -is [array]) { $value = $value -join ' ' }
        $rows += [pscustomobject]@{
            Category = $Category; Location = $Key
            Entry = $(if ($valueName -eq '') { '(Default)' } else { $valueName }); Command = [string]$value
        }
    }
    $rows
}

$script:Stage = Join-Path ([System.IO.Path]::GetDirectoryName($OutputPath)) ('triage_{0:yyyyMMdd_HHmmss}' -f (Get-Date))
$since = (Get-Date).AddHours(-$Hours)

try {
    New-Item -ItemType Directory -Path $script:Stage -Force | Out-Null

    Invoke-Section 'system' 'system.csv' {
        $os = Get-CimInstance Win32_OperatingSystem
        $cs = Get-CimInstance Win32_ComputerSystem
        [pscustomobject]@{
            ComputerName   = $env:COMPUTERNAME
            Domain         = $cs.Domain
            OS             = $os.Caption
            Version        = $os.Version
            Build          = $os.BuildNumber
            Architecture   = $os.OSArchitecture
            InstallDateUtc = Format-Utc $os.InstallDate
            LastBootUtc    = Format-Utc $os.LastBootUpTime
            CollectedUtc   = Format-Utc (Get-Date)
            TimeZone       = [System.TimeZoneInfo]::Local.Id
            LoggedOnUser   = $cs.UserName
            Manufacturer   = $cs.Manufacturer
            Model          = $cs.Model
            PowerShell     = $PSVersionTable.PSVersion.ToString()
        }
    }

    $processes = @(Get-CimInstance Win32_Process)
    $processNames = @{}
    foreach ($p in $processes) { $processNames[[int]$p.ProcessId] = $p.Name }

    Invoke-Section 'processes' 'processes.csv' {
        foreach ($p in $processes) {
            $owner = ''
            try {
                $o = Invoke-CimMethod -InputObject $p -MethodName GetOwner -ErrorAction Stop
                if ($o.ReturnValue -eq 0) { $owner = '{0}\{1}' -f $o.Domain, $o.User }
            }
            catch { }
            [pscustomobject]@{
                ProcessId       = $p.ProcessId
                ParentProcessId = $p.ParentProcessId
                ParentName      = $processNames[[int]$p.ParentProcessId]
                Name            = $p.Name
                Owner           = $owner
                SessionId       = $p.SessionId
                CreatedUtc      = Format-Utc $p.CreationDate
                ExecutablePath  = $p.ExecutablePath
                CommandLine     = $p.CommandLine
            }
        }
    }

    Invoke-Section 'process-hashes' 'process-hashes.csv' {
        $paths = $processes | Where-Object { $_.ExecutablePath } | ForEach-Object { $_.ExecutablePath } | Sort-Object -Unique
        foreach ($exe in $paths) {
            $hash = ''; $status = ''; $signer = ''
            try { $hash = (Get-FileHash -LiteralPath $exe -Algorithm SHA256 -ErrorAction Stop).Hash } catch { $hash = 'unreadable' }
            try {
                $sig = Get-AuthenticodeSignature -LiteralPath $exe -ErrorAction Stop
                $status = [string]$sig.Status
                if ($sig.SignerCertificate) { $signer = $sig.SignerCertificate.Subject }
            }
            catch { $status = 'unknown' }
            [pscustomobject]@{ Path = $exe; SHA256 = $hash; Signature = $status; Signer = $signer }
        }
    }

    Invoke-Section 'services' 'services.csv' {
        Get-CimInstance Win32_Service | Sort-Object Name | ForEach-Object {
            [pscustomobject]@{
                Name = $_.Name; DisplayName = $_.DisplayName; State = $_.State; StartMode = $_.StartMode
                ProcessId = $_.ProcessId; Account = $_.StartName; PathName = $_.PathName
            }
        }
    }

    Invoke-Section 'tcp' 'tcp.csv' {
        if (Get-Command Get-NetTCPConnection -ErrorAction SilentlyContinue) {
            Get-NetTCPConnection | Sort-Object State, LocalPort | ForEach-Object {
                [pscustomobject]@{
                    State = [string]$_.State; LocalAddress = $_.LocalAddress; LocalPort = $_.LocalPort
                    RemoteAddress = $_.RemoteAddress; RemotePort = $_.RemotePort
                    ProcessId = $_.OwningProcess; Process = $processNames[[int]$_.OwningProcess]
                    CreatedUtc = Format-Utc $_.CreationTime
                }
            }
        }
        else {
            Invoke-Native 'netstat.exe' @('-ano', '-p', 'TCP')
        }
    }

    Invoke-Section 'udp' 'udp.csv' {
        if (Get-Command Get-NetUDPEndpoint -ErrorAction SilentlyContinue) {
            Get-NetUDPEndpoint | Sort-Object LocalPort | ForEach-Object {
                [pscustomobject]@{
                    LocalAddress = $_.LocalAddress; LocalPort = $_.LocalPort
                    ProcessId = $_.OwningProcess; Process = $processNames[[int]$_.OwningProcess]
                }
            }
        }
        else {
            Invoke-Native 'netstat.exe' @('-ano', '-p', 'UDP')
        }
    }

    Invoke-Section 'ipconfig' 'ipconfig.txt' {
        '### ipconfig /all'
        Invoke-Native 'ipconfig.exe' @('/all')
        '### route print'
        Invoke-Native 'route.exe' @('print')
        '### arp -a'
        Invoke-Native 'arp.exe' @('-a')
    }

    Invoke-Section 'dns-cache' 'dns-cache.csv' {
        if (Get-Command Get-DnsClientCache -ErrorAction SilentlyContinue) {
            Get-DnsClientCache | Select-Object Entry, Name, Type, Status, Section, TimeToLive, Data
        }
        else {
            Invoke-Native 'ipconfig.exe' @('/displaydns')
        }
    }

    Invoke-Section 'scheduled-tasks' 'scheduled-tasks.csv' {
        if (Get-Command Get-ScheduledTask -ErrorAction SilentlyContinue) {
            Get-ScheduledTask | ForEach-Object {
                $task = $_
                $info = $null
                try { $info = $task | Get-ScheduledTaskInfo -ErrorAction Stop } catch { }
                $actions = @($task.Actions | Where-Object { $null -ne $_ } | ForEach-Object {
                        if ($_.PSObject.Properties['Execute'] -and $_.Execute) { ('{0} {1}' -f $_.Execute, $_.Arguments).Trim() }
                        elseif ($_.PSObject.Properties['ClassId'] -and $_.ClassId) { 'COM handler ' + $_.ClassId }
                    }) -join ' | '
                $triggers = @($task.Triggers | Where-Object { $null -ne $_ } | ForEach-Object { ($_.CimClass.CimClassName -replace '^MSFT_Task', '' -replace 'Trigger$', '') }) -join ', '
                [pscustomobject]@{
                    TaskPath = $task.TaskPath; TaskName = $task.TaskName; State = [string]$task.State
                    Author = $task.Author; RunAs = $task.Principal.UserId; RunLevel = [string]$task.Principal.RunLevel
                    Triggers = $triggers; Actions = $actions
                    LastRunUtc = $(if ($info) { Format-Utc $info.LastRunTime } else { '' })
                    NextRunUtc = $(if ($info) { Format-Utc $info.NextRunTime } else { '' })
                    LastResult = $(if ($info) { $info.LastTaskResult } else { '' })
                }
            }
        }
        else {
            Invoke-Native 'schtasks.exe' @('/query', '/fo', 'CSV', '/v') | ConvertFrom-Csv
        }
    }

    Invoke-Section 'autoruns' 'autoruns.csv' {
        $runKeys = @('Run', 'RunOnce', 'RunOnceEx', 'RunServices', 'RunServicesOnce', 'Policies\Explorer\Run')
        $roots = @('HKEY_LOCAL_MACHINE\SOFTWARE', 'HKEY_LOCAL_MACHINE\SOFTWARE\Wow6432Node')
        foreach ($sid in (Get-ChildItem -LiteralPath 'Registry::HKEY_USERS' -ErrorAction SilentlyContinue | ForEach-Object { $_.PSChildName })) {
            if ($sid -notlike '*_Classes') { $roots += "HKEY_USERS\$sid\SOFTWARE" }
        }
        foreach ($root in $roots) {
            foreach ($k in $runKeys) {
                Get-RegistryValueRows -Key "$root\Microsoft\Windows\CurrentVersion\$k" -Category 'Registry Run'
            }
        }
        Get-RegistryValueRows -Key 'HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Windows NT\CurrentVersion\Winlogon' -Category 'Winlogon' -Only @('Userinit', 'Shell', 'Taskman', 'AppSetup')
        Get-RegistryValueRows -Key 'HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Windows NT\CurrentVersion\Windows' -Category 'AppInit' -Only @('AppInit_DLLs', 'LoadAppInit_DLLs')
        Get-RegistryValueRows -Key 'HKEY_LOCAL_MACHINE\SYSTEM\CurrentControlSet\Control\Session Manager' -Category 'BootExecute' -Only @('BootExecute')
        $ifeo = 'HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Windows NT\CurrentVersion\Image File Execution Options'
        foreach ($sub in (Get-ChildItem -LiteralPath "Registry::$ifeo" -ErrorAction SilentlyContinue)) {
            Get-RegistryValueRows -Key "$ifeo\$($sub.PSChildName)" -Category 'IFEO Debugger' -Only @('Debugger')
        }
        $startupFolders = @(Join-Path $env:ProgramData 'Microsoft\Windows\Start Menu\Programs\StartUp')
        $startupFolders += @(Get-ChildItem -LiteralPath (Join-Path $env:SystemDrive 'Users') -Directory -ErrorAction SilentlyContinue |
                ForEach-Object { Join-Path $_.FullName 'AppData\Roaming\Microsoft\Windows\Start Menu\Programs\Startup' })
        foreach ($folder in $startupFolders) {
            Get-ChildItem -LiteralPath $folder -File -Force -ErrorAction SilentlyContinue | Where-Object { $_.Name -ne 'desktop.ini' } | ForEach-Object {
                [pscustomobject]@{ Category = 'Startup folder'; Location = $folder; Entry = $_.Name; Command = $_.FullName }
            }
        }
    }

    Invoke-Section 'prefetch' 'prefetch.csv' {
        Get-ChildItem -LiteralPath (Join-Path $env:SystemRoot 'Prefetch') -Filter '*.pf' -ErrorAction SilentlyContinue |
            Sort-Object LastWriteTimeUtc -Descending | ForEach-Object {
                [pscustomobject]@{
                    Name = $_.Name; Size = $_.Length
                    CreatedUtc = Format-Utc $_.CreationTimeUtc; LastWriteUtc = Format-Utc $_.LastWriteTimeUtc
                }
            }
    }

    $eventLogs = @(
        'Security', 'System', 'Application',
        'Microsoft-Windows-PowerShell/Operational',
        'Microsoft-Windows-Sysmon/Operational',
        'Microsoft-Windows-Windows Defender/Operational',
        'Microsoft-Windows-TaskScheduler/Operational',
        'Microsoft-Windows-TerminalServices-LocalSessionManager/Operational',
        'Microsoft-Windows-WMI-Activity/Operational'
    )

    # Counts per event id, read with EventLogReader (no message rendering: fast on big logs).
    Invoke-Section 'eventlog-summary' 'eventlog-summary.csv' {
        $milliseconds = [int64]$Hours * 3600 * 1000
        $xpath = "*[System[TimeCreated[timediff(@SystemTime) <= $milliseconds]]]"
        foreach ($log in $eventLogs) {
            try {
                $query = New-Object System.Diagnostics.Eventing.Reader.EventLogQuery($log, [System.Diagnostics.Eventing.Reader.PathType]::LogName, $xpath)
                $reader = New-Object System.Diagnostics.Eventing.Reader.EventLogReader($query)
            }
            catch { continue }   # log not present on this device
            $stats = @{}
            $read = 0
            try {
                while ($read -lt 200000) {
                    $record = $reader.ReadEvent()
                    if ($null -eq $record) { break }
                    $read++
                    $key = '{0}|{1}' -f $record.Id, $record.ProviderName
                    $time = $record.TimeCreated
                    if ($stats.ContainsKey($key)) {
                        $entry = $stats[$key]
                        $entry.N++
                        if ($time -lt $entry.First) { $entry.First = $time }
                        if ($time -gt $entry.Last) { $entry.Last = $time }
                    }
                    else {
                        $stats[$key] = @{ Id = $record.Id; Provider = $record.ProviderName; N = 1; First = $time; Last = $time }
                    }
                    $record.Dispose()
                }
            }
            finally { $reader.Dispose() }
            $stats.Values | Sort-Object { $_.N } -Descending | ForEach-Object {
                [pscustomobject]@{
                    LogName = $log; EventId = $_.Id; Provider = $_.Provider; Count = $_.N
                    FirstUtc = Format-Utc $_.First; LastUtc = Format-Utc $_.Last
                    Truncated = ($read -ge 200000)
                }
            }
        }
    }

    # Security: logons, explicit credentials, special privileges, account and group changes,
    # log cleared. System: new service, log cleared. PowerShell: script blocks. Defender:
    # detections and protection changes. Task Scheduler: task registered.
    $notable = @{
        'Security'                                       = @(4624, 4625, 4648, 4672, 4697, 4698, 4720, 4722, 4724, 4728, 4732, 4756, 1102)
        'System'                                         = @(7045, 104, 7040)
        'Microsoft-Windows-PowerShell/Operational'       = @(4104)
        'Microsoft-Windows-Windows Defender/Operational' = @(1116, 1117, 5001, 5007)
        'Microsoft-Windows-TaskScheduler/Operational'    = @(106, 140, 141)
    }

    Invoke-Section 'eventlog-notable' 'eventlog-notable.csv' {
        foreach ($log in $notable.Keys) {
            Get-WinEvent -FilterHashtable @{ LogName = $log; StartTime = $since; Id = $notable[$log] } -MaxEvents 500 -ErrorAction SilentlyContinue |
                ForEach-Object {
                    $message = ''
                    try { $message = ($_.Message -replace '\s+', ' ') } catch { }
                    if ($message.Length -gt 2000) { $message = $message.Substring(0, 2000) + '...' }
                    [pscustomobject]@{
                        TimeUtc = Format-Utc $_.TimeCreated; LogName = $log; EventId = $_.Id
                        Provider = $_.ProviderName; RecordId = $_.RecordId; Message = $message
                    }
                }
        }
    }

    Invoke-Section 'local-users' 'local-users.csv' {
        if (Get-Command Get-LocalUser -ErrorAction SilentlyContinue) {
            Get-LocalUser | ForEach-Object {
                [pscustomobject]@{
                    Name = $_.Name; Enabled = $_.Enabled; SID = [string]$_.SID
                    LastLogonUtc = Format-Utc $_.LastLogon; PasswordLastSetUtc = Format-Utc $_.PasswordLastSet
                    Description = $_.Description
                }
            }
        }
        else {
            Invoke-Native 'net.exe' @('user')
        }
    }

    Invoke-Section 'local-admins' 'local-admins.csv' {
        $members = $null
        if (Get-Command Get-LocalGroupMember -ErrorAction SilentlyContinue) {
            # Get-LocalGroupMember fails on groups holding orphaned or Azure AD SIDs; fall back to net.
            try {
                $members = @(Get-LocalGroupMember -SID 'S-1-5-32-544' -ErrorAction Stop | ForEach-Object {
                        [pscustomobject]@{ Name = $_.Name; ObjectClass = $_.ObjectClass; Source = [string]$_.PrincipalSource; SID = [string]$_.SID }
                    })
            }
            catch { $members = $null }
        }
        if ($null -ne $members) { $members }
        else {
            $group = (New-Object System.Security.Principal.SecurityIdentifier('S-1-5-32-544')).Translate([System.Security.Principal.NTAccount]).Value
            Invoke-Native 'net.exe' @('localgroup', ($group -split '\\')[-1])
        }
    }

    Invoke-Section 'sessions' 'sessions.txt' {
        Invoke-Native 'quser.exe'
    }

    Invoke-Section 'collection' 'collection.csv' { $script:Sections }

    $manifest = @(Get-ChildItem -LiteralPath $script:Stage -File | ForEach-Object {
            [pscustomobject]@{ File = $_.Name; Size = $_.Length; SHA256 = (Get-FileHash -LiteralPath $_.FullName -Algorithm SHA256).Hash }
        })
    $manifest | Export-Csv -LiteralPath (Join-Path $script:Stage 'manifest.csv') -NoTypeInformation -Encoding UTF8

    Add-Type -AssemblyName System.IO.Compression
    Add-Type -AssemblyName System.IO.Compression.FileSystem
    if (Test-Path -LiteralPath $OutputPath) { Remove-Item -LiteralPath $OutputPath -Force }
    [System.IO.Compression.ZipFile]::CreateFromDirectory($script:Stage, $OutputPath, [System.IO.Compression.CompressionLevel]::Optimal, $false)
    $zip = Get-Item -LiteralPath $OutputPath

    $failed = @($script:Sections | Where-Object { $_.Status -ne 'OK' })
    $items = ($script:Sections | Measure-Object -Property Items -Sum).Sum
    Write-Output ('Triage of {0} at {1} (event logs: last {2} h)' -f $env:COMPUTERNAME, (Format-Utc (Get-Date)), $Hours)
    $script:Sections | Select-Object Section, Status, Items, Seconds, File | Format-Table -AutoSize | Out-String -Width 4096 | Write-Output
    foreach ($f in $failed) { Write-Output ('FAILED {0}: {1}' -f $f.Section, $f.Error) }
    Write-Output ('Collected {0} artefacts in {1} files ({2} sections failed)' -f $items, $manifest.Count, $failed.Count)
    Write-Output $OutputPath
    Write-Output ('{0} MB' -f [math]::Round($zip.Length / 1MB))
}
catch {
    Stop-WithError $_.Exception.Message
}
finally {
    if (Test-Path -LiteralPath $script:Stage) {
        Remove-Item -LiteralPath $script:Stage -Recurse -Force -ErrorAction SilentlyContinue
    }
}
