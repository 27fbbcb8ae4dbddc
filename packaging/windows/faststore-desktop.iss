; Inno Setup 6 recipe: installs the one-folder bundle (dist\faststore-desktop) per user or for
; everyone, with a Start-menu entry, an optional desktop icon and an uninstaller.
; build.ps1 passes the version and paths:
;   ISCC.exe /DAppVersion=0.1.0 /DSourceDir=..\..\dist\faststore-desktop /DOutputDir=..\..\dist faststore-desktop.iss
; Signing: build.ps1 defines a sign tool named "signtool" (ISCC /S) when a certificate is given,
; and then SignTool= below signs the installer and the uninstaller.

#ifndef AppVersion
  #error AppVersion must be defined (ISCC /DAppVersion=...)
#endif
#ifndef SourceDir
  #define SourceDir "..\..\dist\faststore-desktop"
#endif
#ifndef OutputDir
  #define OutputDir "..\..\dist"
#endif

#define AppName "FastStore Desktop"
#define AppExe "faststore-desktop.exe"

[Setup]
; A fixed AppId: upgrades replace the installed version instead of adding a second one.
AppId={{5B0F3C1E-7F2A-4C8E-9A55-3D2E61C4B7A9}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=FastStore Desktop contributors
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
; Per-user by default (no administrator needed); the user may choose all users instead.
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0.17763
OutputDir={#OutputDir}
OutputBaseFilename=faststore-desktop-{#AppVersion}-windows-x64-setup
SetupIconFile=..\..\resources\icons\app\faststore-desktop.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
LicenseFile=..\..\resources\licenses\Qt-NOTICE.txt
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
CloseApplications=yes
#ifdef SignTool
SignTool=signtool
SignedUninstaller=yes
#endif

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "{#SourceDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\{#AppExe}"; AppUserModelID: "io.faststore.desktop"
Name: "{group}\{cm:UninstallProgram,{#AppName}}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
; The app's own data (variables, secrets, settings) lives in the user's profile and is kept.
Type: filesandordirs; Name: "{app}\_internal\__pycache__"
