<#
.SYNOPSIS
    Writes a full memory dump of a running process and zips it for collection.

.DESCRIPTION
    Finds the process by name (without ".exe") or by process id, writes a full-memory
    minidump with MiniDumpWriteDump (dbghelp.dll, via P/Invoke) and compresses it to
    C:\windows\TEMP\<ProcessName>.dmp.zip, ready for a Live Response GetFile.

    If the P/Invoke path is unavailable (for example Add-Type blocked by Constrained Language
    Mode), the script falls back to "rundll32 comsvcs.dll, MiniDump". Note that Defender's
    attack surface reduction rule "Block credential stealing from LSASS" and LSA protection
    (RunAsPPL) can prevent dumping lsass.exe; the script then fails with the Windows error.

    When several processes share the name, every instance is dumped (up to -MaxInstances) into
    the same zip, one entry per process: <name>_<pid>.dmp. Use a process id to pick one.

    Standard output is exactly two lines, as in the documented Live Response transcript:
        C:\windows\TEMP\OfficeClickToRun.dmp.zip
        51 MB
    On failure the script writes "ERROR: ..." to standard error and exits non-zero
    (2 = no such process, 3 = too many instances, 1 = anything else).

.PARAMETER ProcessName
    Process name as shown by Get-Process (e.g. OfficeClickToRun, lsass), optionally with
    ".exe", or a numeric process id. The zip is named after this value.

.PARAMETER OutputDirectory
    Folder for the dump and the zip. Default: C:\windows\TEMP.

.PARAMETER MaxInstances
    Refuse to dump more than this many same-named processes. Default: 4.

.EXAMPLE
    minidump.ps1 OfficeClickToRun
    Live Response: run minidump.ps1 -parameters "OfficeClickToRun"

.EXAMPLE
    minidump.ps1 4012
    Dumps process id 4012 to C:\windows\TEMP\4012.dmp.zip.

.NOTES
    lr:output text (plain text: lr keeps it as output, with no rows).
    Runs under the Defender for Endpoint agent as SYSTEM (SeDebugPrivilege enabled).
    Windows PowerShell 5.1 compatible. A full dump is about the size of the process's
    committed memory: check free space on C: for very large processes.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory = $true, Position = 0)]
    [ValidatePattern('^[A-Za-z0-9_.\-]+$')]
    [string]$ProcessName,

    [Parameter(Position = 1)]
    [ValidateNotNullOrEmpty()]
    [string]$OutputDirectory = 'C:\windows\TEMP',

    [ValidateRange(1, 64)]
    [int]$MaxInstances = 4
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 2.0

function Stop-WithError {
    param([string]$Message, [int]$ExitCode = 1)
    [Console]::Error.WriteLine("ERROR: $Message")
    exit $ExitCode
}

# MiniDumpWriteDump flags: FullMemory | HandleData | UnloadedModules | FullMemoryInfo
# | ThreadInfo | TokenInformation.
$DumpType = [uint32](0x00000002 -bor 0x00000004 -bor 0x00000020 -bor 0x00000800 -bor 0x00001000 -bor 0x00040000)

$nativeSource = @'
using System;
using System.ComponentModel;
using System.IO;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

public static class LrMiniDump
{
    private const uint PROCESS_QUERY_INFORMATION = 0x0400;
    private const uint PROCESS_VM_READ = 0x0010;

    [DllImport("kernel32.dll", SetLastError = true)]
    private static extern IntPtr OpenProcess(uint desiredAccess, bool inheritHandle, uint processId);

    [DllImport("kernel32.dll", SetLastError = true)]
    private static extern bool CloseHandle(IntPtr handle);

    [DllImport("dbghelp.dll", SetLastError = true)]
    private static extern bool MiniDumpWriteDump(IntPtr hProcess, uint processId, SafeFileHandle hFile,
        uint dumpType, IntPtr exceptionParam, IntPtr userStreamParam, IntPtr callbackParam);

    public static void Write(int processId, string path, uint dumpType)
    {
        IntPtr process = OpenProcess(PROCESS_QUERY_INFORMATION | PROCESS_VM_READ, false, (uint)processId);
        if (process == IntPtr.Zero)
        {
            int error = Marshal.GetLastWin32Error();
            throw new Win32Exception(error,
                "OpenProcess(" + processId + ") failed: " + new Win32Exception(error).Message);
        }
        try
        {
            using (FileStream stream = new FileStream(path, FileMode.Create, FileAccess.ReadWrite, FileShare.None))
            {
                if (!MiniDumpWriteDump(process, (uint)processId, stream.SafeFileHandle, dumpType,
                        IntPtr.Zero, IntPtr.Zero, IntPtr.Zero))
                {
                    int error = Marshal.GetLastWin32Error();
                    throw new InvalidOperationException(string.Format(
                        "MiniDumpWriteDump({0}) failed with 0x{1:X8}", processId, error));
                }
            }
        }
        finally
        {
            CloseHandle(process);
        }
    }
}
'@

function Write-DumpNative {
    param([int]$ProcessId, [string]$Path)
    if (-not ('LrMiniDump' -as [type])) {
        Add-Type -TypeDefinition $nativeSource -Language CSharp
    }
    [LrMiniDump]::Write($ProcessId, $Path, $DumpType)
}

function Write-DumpComsvcs {
    param([int]$ProcessId, [string]$Path)
    if ($Path -match '\s') { throw "comsvcs.dll MiniDump cannot write to a path with spaces: $Path" }
    $rundll32 = Join-Path $env:SystemRoot 'System32\rundll32.exe'
    $comsvcs = Join-Path $env:SystemRoot 'System32\comsvcs.dll'
    $arguments = @("$comsvcs,", 'MiniDump', [string]$ProcessId, $Path, 'full')
    $p = Start-Process -FilePath $rundll32 -ArgumentList $arguments -Wait -PassThru -WindowStyle Hidden
    if (-not (Test-Path -LiteralPath $Path) -or (Get-Item -LiteralPath $Path).Length -eq 0) {
        throw ("comsvcs.dll MiniDump produced no dump for process {0} (rundll32 exit code {1})" -f $ProcessId, $p.ExitCode)
    }
}

function New-ZipFromFiles {
    param([string]$ZipPath, [string[]]$Files)
    Add-Type -AssemblyName System.IO.Compression
    Add-Type -AssemblyName System.IO.Compression.FileSystem
    if (Test-Path -LiteralPath $ZipPath) { Remove-Item -LiteralPath $ZipPath -Force }
    $archive = [System.IO.Compression.ZipFile]::Open($ZipPath, [System.IO.Compression.ZipArchiveMode]::Create)
    try {
        foreach ($file in $Files) {
            [void][System.IO.Compression.ZipFileExtensions]::CreateEntryFromFile(
                $archive, $file, [System.IO.Path]::GetFileName($file),
                [System.IO.Compression.CompressionLevel]::Optimal)
        }
    }
    finally {
        $archive.Dispose()
    }
}

$dumps = @()
try {
    if (-not (Test-Path -LiteralPath $OutputDirectory -PathType Container)) {
        Stop-WithError "Output directory does not exist: $OutputDirectory"
    }

    if ($ProcessName -match '^\d+$') {
        $processes = @(Get-Process -Id ([int]$ProcessName) -ErrorAction SilentlyContinue)
    }
    else {
        $name = $ProcessName -replace '\.exe$', ''
        $processes = @(Get-Process -Name $name -ErrorAction SilentlyContinue | Sort-Object Id)
    }
    if ($processes.Count -eq 0) {
        Stop-WithError "No running process matches '$ProcessName'." 2
    }
    if ($processes.Count -gt $MaxInstances) {
        $ids = ($processes | ForEach-Object { $_.Id }) -join ', '
        Stop-WithError ("{0} processes are named '{1}' (ids {2}); pass one process id, or raise -MaxInstances." -f $processes.Count, $ProcessName, $ids) 3
    }

    foreach ($process in $processes) {
        $dumpPath = Join-Path $OutputDirectory ('{0}_{1}.dmp' -f $process.ProcessName, $process.Id)
        $dumps += $dumpPath
        try {
            Write-DumpNative -ProcessId $process.Id -Path $dumpPath
        }
        catch {
            $nativeError = $_.Exception.Message
            try {
                if (Test-Path -LiteralPath $dumpPath) { Remove-Item -LiteralPath $dumpPath -Force }
                Write-DumpComsvcs -ProcessId $process.Id -Path $dumpPath
            }
            catch {
                Stop-WithError ("Could not dump process {0} ({1}): {2}; comsvcs fallback: {3}" -f $process.Id, $process.ProcessName, $nativeError, $_.Exception.Message)
            }
        }
    }

    $zipPath = Join-Path $OutputDirectory ('{0}.dmp.zip' -f $ProcessName)
    New-ZipFromFiles -ZipPath $zipPath -Files $dumps
    $zip = Get-Item -LiteralPath $zipPath

    Write-Output $zipPath
    Write-Output ('{0} MB' -f [math]::Round($zip.Length / 1MB))
}
catch {
    Stop-WithError $_.Exception.Message
}
finally {
    foreach ($dump in $dumps) {
        if (Test-Path -LiteralPath $dump) { Remove-Item -LiteralPath $dump -Force -ErrorAction SilentlyContinue }
    }
}
