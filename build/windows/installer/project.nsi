# project.nsi: the Windows installer of the Commune Kiosk window.
#
# make package builds it when makensis (Debian: nsis) is installed:
#   makensis -DARG_AMD64_BINARY=/abs/commune-kiosk.exe -DARG_OUTFILE=/abs/out.exe \
#            -DINFO_PRODUCTVERSION=1.2.3 -DINFO_FILEVERSION=1.2.3.0 \
#            [-DARG_WEBVIEW2_STANDALONE=/abs/MicrosoftEdgeWebView2RuntimeInstallerX64.exe] \
#            [-DARG_TASK_XML=/abs/kiosk-task.xml (UTF-16; make package converts it)] project.nsi
# Silent install: commune-kiosk-amd64-installer.exe /S
# See docs/windows.md.

Unicode true
ManifestDPIAware true

!include "wails_tools.nsh"
!include "x64.nsh"
!include "WinVer.nsh"
!include "LogicLib.nsh"
!include "MUI2.nsh"

!ifndef ARG_AMD64_BINARY
    !error "pass -DARG_AMD64_BINARY=<path of commune-kiosk.exe>"
!endif
!ifndef ARG_OUTFILE
    !define ARG_OUTFILE "..\..\bin\commune-kiosk-amd64-installer.exe"
!endif

VIProductVersion "${INFO_FILEVERSION}"
VIFileVersion    "${INFO_FILEVERSION}"
VIAddVersionKey "CompanyName"     "${INFO_COMPANYNAME}"
VIAddVersionKey "FileDescription" "${INFO_PRODUCTNAME} Installer"
VIAddVersionKey "ProductVersion"  "${INFO_PRODUCTVERSION}"
VIAddVersionKey "FileVersion"     "${INFO_FILEVERSION}"
VIAddVersionKey "LegalCopyright"  "${INFO_COPYRIGHT}"
VIAddVersionKey "ProductName"     "${INFO_PRODUCTNAME}"

Name "${INFO_PRODUCTNAME}"
OutFile "${ARG_OUTFILE}"
InstallDir "$PROGRAMFILES64\${INFO_PRODUCTNAME}"
RequestExecutionLevel admin
ShowInstDetails show

!define MUI_ICON "..\icon.ico"
!define MUI_UNICON "..\icon.ico"
!define MUI_ABORTWARNING

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_COMPONENTS
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "Vietnamese"
!insertmacro MUI_LANGUAGE "English"

Function .onInit
    !insertmacro kiosk.checkWindows
    SetShellVarContext all
FunctionEnd

Function un.onInit
    SetShellVarContext all
FunctionEnd

Section "Commune Kiosk" SecMain
    SectionIn RO
    SetShellVarContext all
    !insertmacro kiosk.webview2

    # An update: stop the running kiosk first so its file can be replaced.
    nsExec::Exec 'taskkill /IM "${PRODUCT_EXECUTABLE}" /F'

    SetOutPath $INSTDIR
    File "/oname=${PRODUCT_EXECUTABLE}" "${ARG_AMD64_BINARY}"
    File "kiosk.conf.example"
    !ifdef ARG_TASK_XML
        File "/oname=kiosk-task.xml" "${ARG_TASK_XML}"
    !else
        File "kiosk-task.xml"
    !endif

    # The data folder and its config: written once, kept on update and on
    # uninstall. Ordinary users (the kiosk account) may change what is in it.
    CreateDirectory "${DATA_DIR}"
    CreateDirectory "${DATA_DIR}\data"
    ${IfNot} ${FileExists} "${DATA_DIR}\kiosk.conf"
        CopyFiles /SILENT "$INSTDIR\kiosk.conf.example" "${DATA_DIR}\kiosk.conf"
    ${EndIf}
    nsExec::Exec 'icacls "${DATA_DIR}" /grant *S-1-5-32-545:(OI)(CI)M /T /Q'

    CreateShortcut "$SMPROGRAMS\${INFO_PRODUCTNAME}.lnk" "$INSTDIR\${PRODUCT_EXECUTABLE}" '--config "${DATA_DIR}\kiosk.conf"'
    WriteUninstaller "$INSTDIR\uninstall.exe"
    SetRegView 64
    WriteRegStr HKLM "${UNINST_KEY}" "DisplayName" "${INFO_PRODUCTNAME}"
    WriteRegStr HKLM "${UNINST_KEY}" "DisplayVersion" "${INFO_PRODUCTVERSION}"
    WriteRegStr HKLM "${UNINST_KEY}" "Publisher" "${INFO_COMPANYNAME}"
    WriteRegStr HKLM "${UNINST_KEY}" "DisplayIcon" "$INSTDIR\${PRODUCT_EXECUTABLE}"
    WriteRegStr HKLM "${UNINST_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
    WriteRegStr HKLM "${UNINST_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
    WriteRegDWORD HKLM "${UNINST_KEY}" "NoModify" 1
    WriteRegDWORD HKLM "${UNINST_KEY}" "NoRepair" 1
SectionEnd

# Start the kiosk at every logon and start it again if it stops: a task of
# the Task Scheduler (see kiosk-task.xml and docs/windows.md).
Section "Start at logon, restart on exit" SecTask
    nsExec::ExecToLog 'schtasks /Create /F /TN "${TASK_NAME}" /XML "$INSTDIR\kiosk-task.xml"'
SectionEnd

Section "Uninstall"
    SetShellVarContext all
    nsExec::Exec 'schtasks /Delete /F /TN "${TASK_NAME}"'
    nsExec::Exec 'taskkill /IM "${PRODUCT_EXECUTABLE}" /F'
    Delete "$SMPROGRAMS\${INFO_PRODUCTNAME}.lnk"
    Delete "$INSTDIR\${PRODUCT_EXECUTABLE}"
    Delete "$INSTDIR\kiosk.conf.example"
    Delete "$INSTDIR\kiosk-task.xml"
    Delete "$INSTDIR\uninstall.exe"
    RMDir "$INSTDIR"
    SetRegView 64
    DeleteRegKey HKLM "${UNINST_KEY}"
    # ${DATA_DIR} stays: it holds requests not yet sent to the city.
SectionEnd
