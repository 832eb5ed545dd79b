; Inno Setup 6 (6.3 or later) recipe for the Windows installer of 邻里前台 (frontdesk).
; Saved as UTF-8 with a byte-order mark: Inno Setup reads the Chinese names only then.
;
; Build the bundle first (packaging\build.ps1 does both), then:
;   ISCC.exe /DAppVersion=0.1.0 packaging\frontdesk.iss
; Output: dist\frontdesk-setup-<version>.exe
;
; - Installs for the current user without administrator rights, into
;   %LOCALAPPDATA%\Programs\frontdesk (the program only).
; - The data (database, backups, printed-document archive) lives apart, in
;   %LOCALAPPDATA%\frontdesk, which the program creates; uninstalling never removes it.
; - Installing a newer version over an older one: same AppId, so Setup finds the old install,
;   closes the running program, replaces the program files, and keeps the data. At its next
;   start the program backs up the database and migrates it.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define AppExe "frontdesk.exe"
#define Bundle "..\dist\frontdesk"

[Setup]
; Never change AppId: it is how a newer installer recognises an older install.
AppId={{6F3C2A7E-8B51-4C0D-9E2A-1F4B7D3C5A90}
AppName=邻里前台
AppVersion={#AppVersion}
AppVerName=邻里前台 {#AppVersion}
AppPublisher=frontdesk
DefaultDirName={autopf}\frontdesk
DefaultGroupName=邻里前台
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\dist
OutputBaseFilename=frontdesk-setup-{#AppVersion}
SetupIconFile=..\resources\icons\frontdesk.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName=邻里前台
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
; Close a running copy before replacing its files (upgrade), and start it again afterwards.
CloseApplications=yes
RestartApplications=no
UsePreviousAppDir=yes
UsePreviousTasks=yes

[Languages]
; If this Inno Setup has no Languages\ChineseSimplified.isl, copy it in from the Inno Setup
; translations page (jrsoftware.org/files/istrans/).
Name: "zh"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"
Name: "en"; MessagesFile: "compiler:Default.isl"

[CustomMessages]
zh.DesktopIconTask=在桌面创建“邻里前台”快捷方式
en.DesktopIconTask=Create a desktop shortcut
zh.LaunchAfter=立即启动邻里前台
en.LaunchAfter=Start the front desk now
zh.CliName=邻里前台命令行（备份、打印测试）
en.CliName=Front desk command line (backup, print test)

[Tasks]
Name: "desktopicon"; Description: "{cm:DesktopIconTask}"; Flags: checkedonce

[InstallDelete]
; An upgrade replaces the whole bundled runtime: libraries of an older Qt or Python must not
; linger beside the new ones. The data folder is elsewhere and is never touched.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#Bundle}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Dirs]
; The per-user data folder: created here so it exists, and never removed on uninstall.
Name: "{localappdata}\frontdesk"; Flags: uninsneveruninstall

[Icons]
Name: "{autoprograms}\邻里前台"; Filename: "{app}\{#AppExe}"; WorkingDir: "{localappdata}\frontdesk"
; The command-line window puts the program folder on its PATH, so the user guide's
; `frontdesk-cli print-test` / `frontdesk-cli backup` work as typed (cmd expands %PATH% itself).
Name: "{autoprograms}\{cm:CliName}"; Filename: "{cmd}"; Parameters: "/k set ""PATH={app};%PATH%"" && frontdesk-cli.exe --help"; WorkingDir: "{localappdata}\frontdesk"
Name: "{autodesktop}\邻里前台"; Filename: "{app}\{#AppExe}"; WorkingDir: "{localappdata}\frontdesk"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchAfter}"; Flags: nowait postinstall skipifsilent

; No [UninstallDelete] for {localappdata}\frontdesk: the centre's records outlive the program.
