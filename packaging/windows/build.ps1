# Windows: the one-folder bundle (dist\faststore-desktop, with faststore-desktop.exe and its
# console twin faststore-desktop-cli.exe), then an Inno Setup installer in dist\.
#
#   powershell -ExecutionPolicy Bypass -File packaging\windows\build.ps1
#
# Signing (optional): FSD_SIGN_CERT_SHA1, the thumbprint of a code-signing certificate in the
# user's certificate store, or FSD_SIGN_CERT_PATH (a .pfx) with FSD_SIGN_CERT_PASSWORD, which is
# imported into that store first so that no password ever appears on a command line. The
# programs, then the installer and its uninstaller, are signed with signtool and an RFC 3161
# timestamp.
[CmdletBinding()]
param(
    [string]$Python = "",
    [switch]$SkipInstaller
)
$ErrorActionPreference = "Stop"
$Root = (Resolve-Path "$PSScriptRoot\..\..").Path
if (-not $Python) { $Python = Join-Path $Root ".venv\Scripts\python.exe" }
$Dist = Join-Path $Root "dist"
$Bundle = Join-Path $Dist "faststore-desktop"
$TimestampUrl = if ($env:FSD_SIGN_TIMESTAMP_URL) { $env:FSD_SIGN_TIMESTAMP_URL } else { "http://timestamp.digicert.com" }

function Invoke-Checked([string]$Program, [string[]]$Arguments) {
    & $Program @Arguments
    if ($LASTEXITCODE -ne 0) { throw "$Program failed with exit code $LASTEXITCODE" }
}

function Get-SignArguments {
    $thumbprint = $env:FSD_SIGN_CERT_SHA1
    if (-not $thumbprint -and $env:FSD_SIGN_CERT_PATH) {
        $password = ConvertTo-SecureString $env:FSD_SIGN_CERT_PASSWORD -AsPlainText -Force
        $imported = Import-PfxCertificate -FilePath $env:FSD_SIGN_CERT_PATH `
            -CertStoreLocation Cert:\CurrentUser\My -Password $password
        $thumbprint = $imported.Thumbprint
    }
    if (-not $thumbprint) { return $null }
    return @("sign", "/fd", "SHA256", "/td", "SHA256", "/tr", $TimestampUrl, "/sha1", $thumbprint)
}

$version = (& $Python -c "from faststore_desktop import __version__; print(__version__)").Trim()
Write-Host "FastStore Desktop $version"

# The licences of what this OS bundles (pywin32-ctypes here, no SecretStorage or jeepney).
Invoke-Checked $Python @((Join-Path $Root "packaging\collect_licenses.py"))
Invoke-Checked $Python @("-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
    "--distpath", $Dist, "--workpath", (Join-Path $Root "build\pyinstaller"),
    (Join-Path $Root "packaging\faststore-desktop.spec"))

$sign = Get-SignArguments
if ($sign) {
    foreach ($exe in @("faststore-desktop.exe", "faststore-desktop-cli.exe")) {
        Invoke-Checked "signtool.exe" ($sign + @((Join-Path $Bundle $exe)))
    }
} else {
    Write-Host "note: no certificate given (FSD_SIGN_CERT_PATH or FSD_SIGN_CERT_SHA1): not signed"
}

if ($SkipInstaller) { return }
$iscc = Get-Command "ISCC.exe" -ErrorAction SilentlyContinue
$isccPath = if ($iscc) { $iscc.Source } else { Join-Path ${env:ProgramFiles(x86)} "Inno Setup 6\ISCC.exe" }
if (-not (Test-Path $isccPath)) { throw "Inno Setup 6 (ISCC.exe) not found: choco install innosetup" }
$isccArgs = @("/Qp", "/DAppVersion=$version", "/DSourceDir=$Bundle", "/DOutputDir=$Dist")
if ($sign) {
    # Inno Setup calls the sign tool named "signtool" for the installer and the uninstaller;
    # $f is the file it passes. Quotes inside the command line are written as $q.
    $quoted = ($sign | ForEach-Object { if ($_ -match '\s') { "`$q$_`$q" } else { $_ } }) -join " "
    $isccArgs += @("/DSignTool", "/Ssigntool=signtool.exe $quoted `$f")
}
$isccArgs += (Join-Path $PSScriptRoot "faststore-desktop.iss")
Invoke-Checked $isccPath $isccArgs
Write-Host "wrote $(Join-Path $Dist "faststore-desktop-$version-windows-x64-setup.exe")"
