# wails_tools.nsh: the names and helpers project.nsi uses, with literal
# values (this project builds without the Wails CLI, which would otherwise
# regenerate this file from wails.json).

!define INFO_PROJECTNAME    "commune-kiosk"
!define INFO_COMPANYNAME    "Commune Kiosk"
!define INFO_PRODUCTNAME    "Commune Kiosk"
!define INFO_COPYRIGHT      "Commune Kiosk"
!define PRODUCT_EXECUTABLE  "commune-kiosk.exe"
!define UNINST_KEY_NAME     "CommuneKiosk"
!define UNINST_KEY          "Software\Microsoft\Windows\CurrentVersion\Uninstall\${UNINST_KEY_NAME}"
!define TASK_NAME           "Commune Kiosk"
# The kiosk's data and config live apart from the program, so an update or
# an uninstall never touches them.
!define DATA_DIR            "$COMMONPROGRAMDATA\CommuneKiosk"

!ifndef INFO_PRODUCTVERSION
    !define INFO_PRODUCTVERSION "0.1.0"
!endif
!ifndef INFO_FILEVERSION
    !define INFO_FILEVERSION "0.1.0.0"
!endif

# The WebView2 runtime's client key; its "pv" value is the installed version.
!define WEBVIEW2_KEY "SOFTWARE\WOW6432Node\Microsoft\EdgeUpdate\Clients\{F3017226-FE2A-4295-8BDF-00C3A9A7E4C5}"

!macro kiosk.checkWindows
    ${IfNot} ${AtLeastWin10}
        IfSilent +2
            MessageBox MB_OK|MB_ICONSTOP "Cần Windows 10 trở lên. / Windows 10 or later is required."
        SetErrorLevel 64
        Quit
    ${EndIf}
    ${IfNot} ${RunningX64}
        IfSilent +2
            MessageBox MB_OK|MB_ICONSTOP "Cần Windows 64-bit. / 64-bit Windows is required."
        SetErrorLevel 65
        Quit
    ${EndIf}
!macroend

# Installs the WebView2 runtime from the standalone (offline) installer when
# one was bundled and the runtime is missing.
!macro kiosk.webview2
    SetRegView 64
    ReadRegStr $0 HKLM "${WEBVIEW2_KEY}" "pv"
    ${If} $0 == ""
    ${OrIf} $0 == "0.0.0.0"
        !ifdef ARG_WEBVIEW2_STANDALONE
            DetailPrint "Cài WebView2 runtime (không cần mạng) / Installing the WebView2 runtime (offline)"
            SetOutPath "$PLUGINSDIR"
            File "/oname=webview2-standalone.exe" "${ARG_WEBVIEW2_STANDALONE}"
            ExecWait '"$PLUGINSDIR\webview2-standalone.exe" /silent /install' $1
            DetailPrint "WebView2 installer exit code: $1"
        !else
            DetailPrint "WebView2 runtime not found and none bundled: the kiosk will offer to install it at first start (needs the internet)"
        !endif
    ${EndIf}
!macroend
