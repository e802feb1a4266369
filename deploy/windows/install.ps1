<#
.SYNOPSIS
  Installs EnrichmentWorker as a Windows service. Untested here: the project's machines run Linux only.
.DESCRIPTION
  Publishes the app to -InstallDir, registers the service "EnrichmentWorker" under its own virtual account
  (NT SERVICE\EnrichmentWorker), gives that account alone its data folder, stores the Discogs token in a file only
  that account (and administrators) can read, sets recovery to restart after 60 s (three times, counter reset daily)
  and starts it. Safe to run again: it updates the binary and the registration, keeps settings, token and data.
  Run from an elevated PowerShell in a checkout:
    deploy\windows\install.ps1 [-TokenFile C:\path\token.txt]
#>
#Requires -RunAsAdministrator
[CmdletBinding()]
param(
    [string]$ServiceName = 'EnrichmentWorker',
    [string]$InstallDir = (Join-Path $env:ProgramFiles 'EnrichmentWorker'),
    [string]$DataDir = (Join-Path $env:ProgramData 'EnrichmentWorker'),
    [string]$TokenFile
)
$ErrorActionPreference = 'Stop'
$repo = (Resolve-Path (Join-Path $PSScriptRoot '..\..')).Path
$account = "NT SERVICE\$ServiceName"

$existing = Get-Service -Name $ServiceName -ErrorAction SilentlyContinue
if ($existing -and $existing.Status -ne 'Stopped') {
    # The SCM asks for a graceful stop; the host drains in-flight jobs within HostOptions:ShutdownTimeout.
    Stop-Service -Name $ServiceName
}

Write-Host "Publishing to $InstallDir"
& dotnet publish (Join-Path $repo 'src\EnrichmentWorker\EnrichmentWorker.csproj') -c Release -o $InstallDir --nologo -v quiet
if ($LASTEXITCODE -ne 0) { throw "dotnet publish failed ($LASTEXITCODE)" }

# AddWindowsService() (Microsoft.Extensions.Hosting.WindowsServices) notices the SCM as its parent and connects to
# it; the same command line runs as a console app when started by hand.
$binPath = "`"$InstallDir\EnrichmentWorker.exe`" run"
if ($existing) {
    & sc.exe config $ServiceName binPath= $binPath start= auto obj= $account | Out-Null
} else {
    New-Service -Name $ServiceName -BinaryPathName $binPath -DisplayName 'EnrichmentWorker' `
        -Description 'Enriches the music library with Discogs data.' -StartupType Automatic | Out-Null
    & sc.exe config $ServiceName obj= $account | Out-Null
}
if ($LASTEXITCODE -ne 0) { throw "sc.exe config failed ($LASTEXITCODE)" }

# Recovery: restart after 60 s, three times; the failure count resets after a day. failureflag 1 applies the actions
# also when the service stops itself with a non-zero exit code (a failed start), not only when the process crashes.
& sc.exe failure $ServiceName reset= 86400 actions= restart/60000/restart/60000/restart/60000 | Out-Null
& sc.exe failureflag $ServiceName 1 | Out-Null

# Data folder (embedded PostgreSQL cluster) and a credentials folder: the service account and administrators only.
$credentials = Join-Path $DataDir 'credentials'
New-Item -ItemType Directory -Force -Path $DataDir, $credentials | Out-Null
& icacls $DataDir /inheritance:r /grant:r "SYSTEM:(OI)(CI)F" "Administrators:(OI)(CI)F" "${account}:(OI)(CI)M" | Out-Null
if ($LASTEXITCODE -ne 0) { throw "icacls failed ($LASTEXITCODE)" }

# The token file is named after the configuration key it sets (Discogs__Token = Discogs:Token); the service reads
# the folder named by CREDENTIALS_DIRECTORY, the same mechanism as systemd credentials on Linux.
$tokenPath = Join-Path $credentials 'Discogs__Token'
if ($TokenFile) {
    Copy-Item -Force $TokenFile $tokenPath
} elseif ($env:DISCOGS_TOKEN) {
    Set-Content -NoNewline -Encoding ascii -Path $tokenPath -Value $env:DISCOGS_TOKEN
} elseif (-not (Test-Path $tokenPath)) {
    Write-Warning 'No Discogs token given: the service will accept albums but enrich nothing until you re-run with -TokenFile.'
}

# Service-specific environment (REG_MULTI_SZ "Environment" under the service key): no secrets here, the key is
# readable by local users.
$serviceKey = "HKLM:\SYSTEM\CurrentControlSet\Services\$ServiceName"
$environment = @(
    'DOTNET_ENVIRONMENT=Production',
    "Storage__DataDirectory=$DataDir",
    "CREDENTIALS_DIRECTORY=$credentials",
    'HostOptions__ShutdownTimeout=00:01:00'
)
New-ItemProperty -Path $serviceKey -Name Environment -PropertyType MultiString -Value $environment -Force | Out-Null

# Site settings beside the binary (appsettings.Production.json overrides appsettings.json); kept on re-install.
$siteSettings = Join-Path $InstallDir 'appsettings.Production.json'
if (-not (Test-Path $siteSettings)) {
    Set-Content -Encoding utf8 -Path $siteSettings -Value '{ "Urls": "http://127.0.0.1:5080", "ConnectionStrings": { "Postgres": "" } }'
}

Start-Service -Name $ServiceName
Get-Service -Name $ServiceName
