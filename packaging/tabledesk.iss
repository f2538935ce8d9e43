; Inno Setup 6 script: a per-user installer for the one-folder build in dist\tabledesk.
; No administrator rights: it installs under %LOCALAPPDATA%\Programs\tabledesk, adds a Start-menu
; entry and associates .tdreview (saved reviews) with tabledesk for the current user only.
;
;   py packaging\build.py --variant plain --no-window
;   "C:\Program Files (x86)\Inno Setup 6\ISCC.exe" /DAppVersion=0.1.0 packaging\tabledesk.iss
;
; For the OCR build pass /DVariant=ocr as well (the folder dist\tabledesk-ocr). The installer is
; written to dist\installer\. See packaging\README.md.

#ifndef AppVersion
  #define AppVersion "0.0.0"
#endif
#ifndef Variant
  #define Variant "plain"
#endif
#if Variant == "ocr"
  #define SourceFolder "..\dist\tabledesk-ocr"
  #define Suffix "-ocr"
#else
  #define SourceFolder "..\dist\tabledesk"
  #define Suffix ""
#endif

[Setup]
; The AppId identifies the product for upgrades and uninstall: never change it.
AppId={{6B0F3E3C-5D0B-4C52-9C1E-7A2D4F0B9E31}
AppName=tabledesk
AppVersion={#AppVersion}
AppPublisher=tabledesk
AppComments=Turn report PDFs into clean, balanced spreadsheets
; Per user: no UAC prompt; {autopf} then means %LOCALAPPDATA%\Programs.
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
DefaultDirName={autopf}\tabledesk
DefaultGroupName=tabledesk
DisableProgramGroupPage=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
ChangesAssociations=yes
OutputDir=..\dist\installer
OutputBaseFilename=tabledesk{#Suffix}-{#AppVersion}-setup
SetupIconFile=..\resources\icons\tabledesk.ico
UninstallDisplayIcon={app}\tabledesk.exe
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"
; Inno Setup's Simplified Chinese messages, where the installed Inno Setup has them.
#if FileExists(CompilerPath + "Languages\ChineseSimplified.isl")
Name: "chinesesimplified"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"
#endif

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "{#SourceFolder}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[InstallDelete]
; An upgrade replaces the bundled libraries as a whole, so no stale DLL of an older build stays.
Type: filesandordirs; Name: "{app}\_internal"

[Icons]
Name: "{autoprograms}\tabledesk"; Filename: "{app}\tabledesk.exe"
Name: "{autodesktop}\tabledesk"; Filename: "{app}\tabledesk.exe"; Tasks: desktopicon

[Registry]
; .tdreview -> tabledesk.review.review, for the current user (HKA is HKCU in a per-user install).
Root: HKA; Subkey: "Software\Classes\.tdreview"; ValueType: string; ValueName: ""; ValueData: "tabledesk.review.review"; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\.tdreview\OpenWithProgids"; ValueType: string; ValueName: "tabledesk.review.review"; ValueData: ""; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\tabledesk.review.review"; ValueType: string; ValueName: ""; ValueData: "tabledesk review"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\tabledesk.review.review\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\tabledesk.exe,0"
Root: HKA; Subkey: "Software\Classes\tabledesk.review.review\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\tabledesk.exe"" ""%1"""
; "Open with" for PDFs, without taking PDFs over from the user's PDF reader.
Root: HKA; Subkey: "Software\Classes\.pdf\OpenWithProgids"; ValueType: string; ValueName: "tabledesk.pdf"; ValueData: ""; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\tabledesk.pdf"; ValueType: string; ValueName: ""; ValueData: "PDF (tabledesk)"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\tabledesk.pdf\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\tabledesk.exe"" ""%1"""

[Run]
Filename: "{app}\tabledesk.exe"; Description: "{cm:LaunchProgram,tabledesk}"; Flags: nowait postinstall skipifsilent
