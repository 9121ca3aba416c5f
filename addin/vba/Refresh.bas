Attribute VB_Name = "Refresh"
' Auto-cancel guard: the macros of the Summary sheet's four buttons (MIT licence, like the rest
' of the project). Each hands over to Python through xlwings' RunPython (the "xlwings" module in
' this workbook, xlwings 0.37.8); Python reports its own errors in one message box.
'
'   Load export...  LoadExport: pick the export file (CSV or XLSX); Python reads the file itself,
'                   replaces the Orders export block whole and refreshes (addin.excel.load_export).
'   Paste export    PasteExport: the clipboard pasted as values into the hidden "Paste" sheet, then
'                   Python takes it from there the same way (addin.excel.load_pasted).
'   Refresh         RefreshOrders: recompute what is on the Orders sheet (addin.excel.refresh).
'   Sort by urgency SortByUrgency: the same, the Orders rows most urgent first, the seller's own
'                   columns moving with their orders (addin.excel.sort_by_urgency).
'
' The buttons sit on the Summary sheet only: any cell of the Orders sheet can be reached by a
' wider export, and a button there ends up over the data.
'
' This file is the source: addin/vba/Refresh.bas in the repository. `python -m tools.template`
' copies it into workbook_template.xlsm; edits made in the VBA editor are lost on the next build.
Option Explicit

Private Const APP_NAME As String = "Auto-cancel guard"
Private Const PASTE_SHEET As String = "Paste"
Private Const EXPORT_FILTER As String = "Order export (*.csv;*.xlsx;*.xlsm),*.csv;*.xlsx;*.xlsm"

Public Sub RefreshOrders()
    RunPython "import addin.excel; addin.excel.refresh()"
End Sub

Public Sub SortByUrgency()
    RunPython "import addin.excel; addin.excel.sort_by_urgency()"
End Sub

Public Sub LoadExport()
    Dim chosen As Variant, folder As String
    ' GetOpenFilename opens in the current folder: go back to the one of the last export.
    folder = GetSetting(APP_NAME, "Load export", "Last folder", "")
    If Len(folder) > 0 Then
        On Error Resume Next
        ChDrive folder
        ChDir folder
        On Error GoTo 0
    End If
    chosen = Application.GetOpenFilename(EXPORT_FILTER, 1, "Load the TikTok Shop order export")
    If VarType(chosen) = vbBoolean Then Exit Sub ' Cancel
    SaveSetting APP_NAME, "Load export", "Last folder", FolderOf(CStr(chosen))
    RunPython "import addin.excel; addin.excel.load_export(" & PythonLiteral(CStr(chosen)) & ")"
End Sub

Public Sub PasteExport()
    Dim staging As Worksheet, state As XlSheetVisibility, pasted As Boolean
    If ClipboardIsEmpty() Then
        MsgBox "The clipboard is empty." & vbNewLine & vbNewLine & _
               "Open today's export, select everything (Ctrl+A), copy it (Ctrl+C), then click Paste export again.", _
               vbInformation, APP_NAME
        Exit Sub
    End If
    Set staging = PasteSheet()
    Application.ScreenUpdating = False
    state = staging.Visible
    staging.Visible = xlSheetVisible ' pasting into a hidden sheet is not allowed everywhere
    staging.Cells.Clear
    On Error Resume Next
    ' Values and number formats: text stays text, dates stay dates, no formulas or styles.
    staging.Range("A1").PasteSpecial Paste:=xlPasteValuesAndNumberFormats
    pasted = (Err.Number = 0)
    On Error GoTo 0
    Application.CutCopyMode = False
    staging.Visible = state
    Application.ScreenUpdating = True
    If Not pasted Or IsEmpty(staging.Range("A1").Value) Then
        staging.Cells.Clear
        MsgBox "What is on the clipboard cannot be pasted as the export (it must start with the export's " & _
               "header row)." & vbNewLine & vbNewLine & _
               "Open today's export in Excel, select everything (Ctrl+A), copy it (Ctrl+C), then click Paste " & _
               "export again. Or click Load export... to pick the file.", vbExclamation, APP_NAME
        Exit Sub
    End If
    RunPython "import addin.excel; addin.excel.load_pasted()"
End Sub

' The hidden staging sheet the export is pasted into (made again if someone deleted it).
Private Function PasteSheet() As Worksheet
    Dim found As Worksheet, active As Object
    On Error Resume Next
    Set found = ThisWorkbook.Worksheets(PASTE_SHEET)
    On Error GoTo 0
    If found Is Nothing Then
        Set active = ActiveSheet
        Set found = ThisWorkbook.Worksheets.Add(After:=ThisWorkbook.Worksheets(ThisWorkbook.Worksheets.Count))
        found.Name = PASTE_SHEET
        found.Visible = xlSheetHidden
        active.Activate
    End If
    Set PasteSheet = found
End Function

Private Function ClipboardIsEmpty() As Boolean
    Dim formats As Variant
    On Error GoTo unknown
    formats = Application.ClipboardFormats
    ClipboardIsEmpty = (formats(LBound(formats)) = -1)
    Exit Function
unknown:
    ClipboardIsEmpty = False ' cannot tell: try the paste, which says so if nothing came
End Function

Private Function FolderOf(ByVal path As String) As String
    Dim cut As Long
    cut = InStrRev(path, Application.PathSeparator)
    If cut > 0 Then FolderOf = Left$(path, cut - 1)
End Function

' The text as a Python string literal of plain ASCII: letters, digits and . _ - as they are,
' every other character as \uXXXX (\UXXXXXXXX past the BMP). No quote, backslash, space, %, &
' or accented letter then has to survive cmd.exe (Windows) or AppleScript (Mac) on its way.
Private Function PythonLiteral(ByVal text As String) As String
    Dim i As Long, code As Long, low As Long, out As String
    out = "'"
    i = 1
    Do While i <= Len(text)
        code = AscW(Mid$(text, i, 1)) And &HFFFF&
        If (code >= 48 And code <= 57) Or (code >= 65 And code <= 90) Or (code >= 97 And code <= 122) _
                Or code = 46 Or code = 95 Or code = 45 Then
            out = out & ChrW(code)
        ElseIf code >= &HD800& And code <= &HDBFF& And i < Len(text) Then
            low = AscW(Mid$(text, i + 1, 1)) And &HFFFF&
            If low >= &HDC00& And low <= &HDFFF& Then
                code = &H10000 + (code - &HD800&) * &H400& + (low - &HDC00&)
                out = out & "\U" & Right$("0000000" & Hex$(code), 8)
                i = i + 1
            Else
                out = out & "\u" & Right$("000" & Hex$(code), 4)
            End If
        Else
            out = out & "\u" & Right$("000" & Hex$(code), 4)
        End If
        i = i + 1
    Loop
    PythonLiteral = out & "'"
End Function

' Runs when the workbook is opened with macros enabled: gives the worksheet functions their
' descriptions and argument help in Excel's Insert Function dialog (see the AutocancelHelp module).
Public Sub Auto_Open()
    Dim wasSaved As Boolean
    On Error Resume Next
    wasSaved = ThisWorkbook.Saved
    RegisterAutocancelFunctions
    ThisWorkbook.Saved = wasSaved
End Sub
