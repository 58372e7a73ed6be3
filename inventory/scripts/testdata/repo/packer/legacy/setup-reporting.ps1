# Reporting service: IIS site plus the nightly export task
$ErrorActionPreference = "Stop"

<#
  Old approach used a mapped drive; kept for reference.
  net use R: \\10.9.9.9\reports
#>

New-Item -ItemType Directory -Force -Path D:\reporting | Out-Null
New-SmbMapping -LocalPath R: -RemotePath \\fs01.corp.example.com\reports -Persistent $true
Set-Service -Name W3SVC -StartupType Automatic
Start-Service W3SVC
Register-ScheduledTask -TaskName "NightlyExport" -Trigger (New-ScheduledTaskTrigger -Daily -At 2am) -Action (New-ScheduledTaskAction -Execute "D:\reporting\export.exe")
[Environment]::SetEnvironmentVariable("REPORTING_DB", "Server=10.20.0.31;Database=reports", "Machine")
