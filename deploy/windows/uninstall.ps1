<#
.SYNOPSIS
  Removes the EnrichmentWorker Windows service. Keeps its data, settings and token unless -Purge. Untested here.
#>
#Requires -RunAsAdministrator
[CmdletBinding()]
param(
    [string]$ServiceName = 'EnrichmentWorker',
    [string]$InstallDir = (Join-Path $env:ProgramFiles 'EnrichmentWorker'),
    [string]$DataDir = (Join-Path $env:ProgramData 'EnrichmentWorker'),
    [switch]$Purge
)
$ErrorActionPreference = 'Stop'

$existing = Get-Service -Name $ServiceName -ErrorAction SilentlyContinue
if ($existing) {
    if ($existing.Status -ne 'Stopped') { Stop-Service -Name $ServiceName }
    & sc.exe delete $ServiceName | Out-Null
    if ($LASTEXITCODE -ne 0) { throw "sc.exe delete failed ($LASTEXITCODE)" }
}

if (Test-Path $InstallDir) {
    # Keep the site settings unless purging.
    Get-ChildItem -Path $InstallDir -Exclude 'appsettings.Production.json' | Remove-Item -Recurse -Force
}

if ($Purge) {
    Remove-Item -Recurse -Force -ErrorAction SilentlyContinue $InstallDir, $DataDir
    Write-Host 'Removed EnrichmentWorker, its settings, token and data.'
} else {
    Write-Host "Removed EnrichmentWorker. Kept $DataDir (database, token) and $InstallDir\appsettings.Production.json; -Purge removes them."
}
