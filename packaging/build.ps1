# Build the Windows bundle (dist\frontdesk\) with PyInstaller, smoke-run it, then the installer.
#
#   powershell -ExecutionPolicy Bypass -File packaging\build.ps1
#
# Needs Python 3.11+ (python.org) and, for the installer, Inno Setup 6 (ISCC.exe on PATH or in
# its default folder). Everything it writes stays in .venv\, build\ and dist\.
$ErrorActionPreference = "Stop"
$Root = Split-Path -Parent $PSScriptRoot
Set-Location $Root

if (-not (Test-Path ".venv\Scripts\python.exe")) { py -3.11 -m venv .venv }
$Py = Join-Path $Root ".venv\Scripts\python.exe"
& $Py -m pip install -q -e ".[packaging]"
if ($LASTEXITCODE -ne 0) { throw "pip install failed" }

& $Py -m PyInstaller --noconfirm --log-level WARN --distpath dist --workpath build\pyinstaller `
    packaging\frontdesk.spec
if ($LASTEXITCODE -ne 0) { throw "PyInstaller failed" }
$Bundle = Join-Path $Root "dist\frontdesk"
$SizeMB = [math]::Round((Get-ChildItem $Bundle -Recurse | Measure-Object Length -Sum).Sum / 1MB)
Write-Host "bundle: $Bundle ($SizeMB MB)"

# Smoke run with the console twin (frontdesk.exe is windowed and prints nothing).
$Smoke = Join-Path $Root ("build\smoke-" + [guid]::NewGuid().ToString("N").Substring(0, 8))
New-Item -ItemType Directory -Force $Smoke | Out-Null
$env:FRONTDESK_HOME = $Smoke
$env:QT_QPA_PLATFORM = "offscreen"
Remove-Item Env:FRONTDESK_DB, Env:FRONTDESK_OPERATOR -ErrorAction SilentlyContinue
Push-Location $Smoke
try {
    $Cli = Join-Path $Bundle "frontdesk-cli.exe"
    # (No Chinese in this file: Windows PowerShell 5.1 reads a script without BOM as ANSI.)
    foreach ($step in @(@("--version"), @("demo"), @("screenshot", "checkin", "checkin.png"),
                        @("screenshot", "checkin", "checkin-en.png", "--lang", "en"),
                        @("print-test", "--pdf-dir", "print"),
                        @("town", "merge", "exports", "--out", "town.xlsx", "--pdf", "town.pdf"))) {
        & $Cli @step | Out-Null
        if ($LASTEXITCODE -ne 0) { throw "smoke run failed: frontdesk-cli $($step -join ' ')" }
    }
    if (-not (Test-Path "checkin.png")) { throw "smoke run made no screenshot" }
    if ((Get-FileHash "checkin.png").Hash -eq (Get-FileHash "checkin-en.png").Hash) {
        throw "smoke run failed: the English page is the Chinese one (translations missing?)"
    }
    if (-not (Get-ChildItem "print\*.pdf")) { throw "smoke run made no receipt PDF" }
    if (-not (Test-Path "town.pdf")) { throw "smoke run made no town summary PDF" }
} finally {
    Pop-Location
    Remove-Item Env:QT_QPA_PLATFORM, Env:FRONTDESK_HOME
}
Write-Host "smoke run passed: $Smoke"

$Iscc = Get-Command ISCC.exe -ErrorAction SilentlyContinue
if (-not $Iscc) { $Iscc = Get-Item "${env:ProgramFiles(x86)}\Inno Setup 6\ISCC.exe" -ErrorAction SilentlyContinue }
if (-not $Iscc) { Write-Warning "Inno Setup 6 not found: bundle built, installer skipped"; exit 0 }
$Version = & $Py -c "import frontdesk; print(frontdesk.__version__)"
& $Iscc "/DAppVersion=$Version" packaging\frontdesk.iss
if ($LASTEXITCODE -ne 0) { throw "Inno Setup failed" }
Write-Host "installer: dist\frontdesk-setup-$Version.exe"
