@echo off
rem The `airlock` command of an installed Airlock on Windows: the app binary in CLI mode.
"%~dp0..\..\Airlock.exe" --airlock-cli %*
