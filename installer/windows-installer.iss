; 双随机工作台 — Windows installer (Inno Setup 6).
;
; Built from the PyInstaller one-folder bundle (dist\shuangsuiji, made by build.spec); the version
; comes from the build, never from this file:
;
;   python installer\build_bundle.py --installer
; or by hand:
;   iscc /DAppVersion=0.1.0 installer\windows-installer.iss
; (BundleDir defaults to ..\dist\shuangsuiji, relative to this file; /DBundleDir=... overrides it.)
;
; Upgrades: the AppId below is fixed for the life of the product, so a newer setup finds and
; replaces the installed one (same folder, same shortcuts, one entry in "Apps"). The old program
; files are wiped first ([InstallDelete]), so nothing from an earlier bundle lingers. The user's
; data (database, settings) lives in the per-user data folder, not under {app}, and is never touched.
;
; This file is UTF-8 with a BOM (Inno Setup 6.0–6.2 need the BOM for Chinese text).

#ifndef AppVersion
  #error Pass the version from the build: iscc /DAppVersion=x.y.z ...  (see the top of this file)
#endif
#ifndef BundleDir
  #define BundleDir "..\dist\shuangsuiji"
#endif
#ifndef OutputDir
  #define OutputDir "..\dist"
#endif

#define AppName "双随机工作台"
#define AppExeName "shuangsuiji.exe"
#define AppDebugExeName "shuangsuiji-debug.exe"
; Never change the AppId: it is how Windows knows a new version replaces the installed one.
#define AppGuid "{{94D4A0DB-3B28-485E-AB43-5C945F57278B}"

[Setup]
AppId={#AppGuid}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher={#AppName}
; ASCII folder name: some older tools mishandle non-ASCII program paths.
DefaultDirName={autopf}\ShuangSuiJi
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
UsePreviousAppDir=yes
; Per-user install by default (no administrator needed in a county office); an administrator may
; choose "for all users" in the dialog.
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
OutputDir={#OutputDir}
OutputBaseFilename=shuangsuiji-{#AppVersion}-setup
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
; Close a running copy before replacing its files.
CloseApplications=yes
RestartApplications=no
UninstallDisplayName={#AppName}
UninstallDisplayIcon={app}\{#AppExeName}
#if FileExists(AddBackslash(SourcePath) + "..\resources\icon.ico")
SetupIconFile=..\resources\icon.ico
#endif
ShowLanguageDialog=no

[Languages]
; Chinese (Simplified) messages are not part of the default Inno Setup distribution: they are the
; unofficial translation "ChineseSimplified.isl" from Inno Setup's translations page. Put it beside
; this script (installer\ChineseSimplified.isl) or into Inno Setup's Languages folder and the whole
; wizard is in Chinese; without it the wizard's own texts fall back to English, while everything
; this script names itself (shortcuts, tasks, the launch box) stays Chinese (see [CustomMessages]).
#if FileExists(AddBackslash(SourcePath) + "ChineseSimplified.isl")
Name: "chs"; MessagesFile: "ChineseSimplified.isl"
#elif FileExists(AddBackslash(CompilerPath) + "Languages\ChineseSimplified.isl")
Name: "chs"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"
#else
Name: "chs"; MessagesFile: "compiler:Default.isl"
#endif

[CustomMessages]
chs.DesktopIcon=在桌面上创建“{#AppName}”快捷方式
chs.ShortcutsGroup=快捷方式：
chs.DemoShortcut={#AppName}（示例县）
chs.DemoComment=打开示例县数据，用于培训和试用
chs.MainComment=县级“双随机、一公开”监管的离线工作台
chs.DiagnoseShortcut={#AppName} 自检
chs.UninstallShortcut=卸载 {#AppName}
chs.LaunchNow=立即运行 {#AppName}

[Tasks]
Name: "desktopicon"; Description: "{cm:DesktopIcon}"; GroupDescription: "{cm:ShortcutsGroup}"

[InstallDelete]
; Wipe the previous version's program files before copying the new ones (a PyInstaller bundle
; renames and drops files between versions; stale DLLs or modules must not survive an upgrade).
; Only what this setup itself installs is removed, never the whole {app} folder's neighbours.
Type: filesandordirs; Name: "{app}\_internal"
Type: files; Name: "{app}\{#AppExeName}"
Type: files; Name: "{app}\{#AppDebugExeName}"

[Files]
Source: "{#BundleDir}\{#AppExeName}"; DestDir: "{app}"; Flags: ignoreversion
Source: "{#BundleDir}\{#AppDebugExeName}"; DestDir: "{app}"; Flags: ignoreversion
Source: "{#BundleDir}\_internal\*"; DestDir: "{app}\_internal"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\{#AppExeName}"; WorkingDir: "{app}"; Comment: "{cm:MainComment}"
Name: "{group}\{cm:DemoShortcut}"; Filename: "{app}\{#AppExeName}"; Parameters: "--demo"; WorkingDir: "{app}"; Comment: "{cm:DemoComment}"
; The console build runs the self-test and keeps its window open, for telephone support.
Name: "{group}\{cm:DiagnoseShortcut}"; Filename: "{cmd}"; Parameters: "/k """"{app}\{#AppDebugExeName}"" self-test"""; WorkingDir: "{app}"; IconFilename: "{app}\{#AppExeName}"
Name: "{group}\{cm:UninstallShortcut}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExeName}"; WorkingDir: "{app}"; Comment: "{cm:MainComment}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExeName}"; Description: "{cm:LaunchNow}"; WorkingDir: "{app}"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
Type: filesandordirs; Name: "{app}\_internal"
