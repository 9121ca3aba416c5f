Attribute VB_Name = "Refresh"
' Auto-cancel guard: the Refresh button's macro (MIT licence, like the rest of the project).
'
' The Refresh buttons on the Orders and Summary sheets run RefreshOrders. It hands over to
' Python through xlwings' RunPython (the "xlwings" module in this workbook, xlwings 0.37.8):
' addin.excel.refresh() reads the Orders table, Settings and Holidays, runs the same pipeline
' as `autocancel refresh`, and writes the computed columns, Summary and Holidays back.
' Errors are reported by Python in one message box.
'
' This file is the source: addin/vba/Refresh.bas in the repository. `autocancel build-template`
' copies it into workbook_template.xlsm; edits made in the VBA editor are lost on the next build.
Option Explicit

Public Sub RefreshOrders()
    RunPython "import addin.excel; addin.excel.refresh()"
End Sub

' Runs when the workbook is opened with macros enabled: gives the worksheet functions their
' descriptions and argument help in Excel's Insert Function dialog (see the AutocancelHelp module).
Public Sub Auto_Open()
    Dim wasSaved As Boolean
    On Error Resume Next
    wasSaved = ThisWorkbook.Saved
    RegisterAutocancelFunctions
    ThisWorkbook.Saved = wasSaved
End Sub
