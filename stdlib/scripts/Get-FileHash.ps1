<#
.SYNOPSIS
    Hashes a file (SHA-256, SHA-1, MD5) and reports its size, timestamps, signature,
    version information and Mark of the Web.

.DESCRIPTION
    Reads the file once (shared read, so files in use can be hashed) and prints a list to
    standard output:

        Path, Size, SHA256, SHA1, MD5,
        CreationTimeUtc, LastWriteTimeUtc, LastAccessTimeUtc,
        SignatureStatus (Valid, NotSigned, HashMismatch, NotTrusted, UnknownError, ...),
        Signer, SignerThumbprint, Company, Product, FileVersion, OriginalFilename,
        ZoneId, ReferrerUrl, HostUrl (from the Zone.Identifier stream, if present)

    MD5 is reported as unavailable when the FIPS policy forbids it.

.PARAMETER Path
    Full path of the file, e.g. C:\Users\Public\evil.exe. Live Response passes arguments
    split on spaces; a path containing spaces arrives as several words, which the script
    joins again with single spaces.

.EXAMPLE
    Get-FileHash.ps1 C:\Users\Public\evil.exe

.NOTES
    lr:output list (lr reads the Format-List output as a row).
    Runs under the Defender for Endpoint agent as SYSTEM. Windows PowerShell 5.1 compatible.
    Exit codes: 0 success, 2 file not found or not a file, 1 anything else ("ERROR: ..." on
    standard error).
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory = $true, Position = 0)]
    [ValidateNotNullOrEmpty()]
    [string]$Path,

    [Parameter(ValueFromRemainingArguments = $true)]
    [string[]]$MorePathWords = @()
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 2.0

function Stop-WithError {
    param([string]$Message, [int]$ExitCode = 1)
    [Console]::Error.WriteLine("ERROR: $Message")
    exit $ExitCode
}

function Format-Utc {
    param([datetime]$Value)
    return $Value.ToUniversalTime().ToString('u')
}

function ConvertTo-Hex {
    param([byte[]]$Bytes)
    return ([System.BitConverter]::ToString($Bytes)).Replace('-', '')
}

try {
    if ($MorePathWords.Count -gt 0) {
        $Path = (@($Path) + $MorePathWords) -join ' '
    }
    $Path = $Path.Trim('"', "'")

    if (-not (Test-Path -LiteralPath $Path -PathType Leaf)) {
        Stop-WithError "File not found (or not a file): $Path" 2
    }
    $file = Get-Item -LiteralPath $Path -Force

    $algorithms = [ordered]@{}
    $algorithms['SHA256'] = [System.Security.Cryptography.SHA256]::Create()
    $algorithms['SHA1'] = [System.Security.Cryptography.SHA1]::Create()
    $md5Note = $null
    try { $algorithms['MD5'] = [System.Security.Cryptography.MD5]::Create() }
    catch { $md5Note = 'unavailable (FIPS policy)' }

    $stream = [System.IO.File]::Open($file.FullName, [System.IO.FileMode]::Open, [System.IO.FileAccess]::Read,
        ([System.IO.FileShare]::ReadWrite -bor [System.IO.FileShare]::Delete))
    try {
        $buffer = New-Object byte[] (1MB)
        while (($read = $stream.Read($buffer, 0, $buffer.Length)) -gt 0) {
            foreach ($algorithm in $algorithms.Values) {
                [void]$algorithm.TransformBlock($buffer, 0, $read, $null, 0)
            }
        }
        foreach ($algorithm in $algorithms.Values) {
            [void]$algorithm.TransformFinalBlock($buffer, 0, 0)
        }
    }
    finally {
        $stream.Dispose()
    }

    $signatureStatus = 'unknown'; $signer = ''; $thumbprint = ''
    try {
        $signature = Get-AuthenticodeSignature -LiteralPath $file.FullName -ErrorAction Stop
        $signatureStatus = [string]$signature.Status
        if ($signature.SignerCertificate) {
            $signer = $signature.SignerCertificate.Subject
            $thumbprint = $signature.SignerCertificate.Thumbprint
        }
    }
    catch { $signatureStatus = 'unknown: ' + $_.Exception.Message }

    $version = $file.VersionInfo

    $zoneId = ''; $referrer = ''; $hostUrl = ''
    $zone = Get-Content -LiteralPath $file.FullName -Stream 'Zone.Identifier' -ErrorAction SilentlyContinue
    foreach ($line in @($zone)) {
        if ($line -match '^ZoneId=(.*)$') { $zoneId = $Matches[1] }
        elseif ($line -match '^ReferrerUrl=(.*)$') { $referrer = $Matches[1] }
        elseif ($line -match '^HostUrl=(.*)$') { $hostUrl = $Matches[1] }
    }

    $md5 = $md5Note
    if ($algorithms.Contains('MD5')) { $md5 = ConvertTo-Hex $algorithms['MD5'].Hash }

    $report = [pscustomobject][ordered]@{
        Path              = $file.FullName
        Size              = $file.Length
        SHA256            = ConvertTo-Hex $algorithms['SHA256'].Hash
        SHA1              = ConvertTo-Hex $algorithms['SHA1'].Hash
        MD5               = $md5
        CreationTimeUtc   = Format-Utc $file.CreationTimeUtc
        LastWriteTimeUtc  = Format-Utc $file.LastWriteTimeUtc
        LastAccessTimeUtc = Format-Utc $file.LastAccessTimeUtc
        Attributes        = [string]$file.Attributes
        SignatureStatus   = $signatureStatus
        Signer            = $signer
        SignerThumbprint  = $thumbprint
        Company           = $version.CompanyName
        Product           = $version.ProductName
        FileVersion       = $version.FileVersion
        OriginalFilename  = $version.OriginalFilename
        ZoneId            = $zoneId
        ReferrerUrl       = $referrer
        HostUrl           = $hostUrl
    }
    $report | Format-List * | Out-String -Width 4096 | Write-Output
}
catch {
    Stop-WithError $_.Exception.Message
}
finally {
    if (Test-Path Variable:\algorithms) {
        foreach ($algorithm in $algorithms.Values) { $algorithm.Dispose() }
    }
}
