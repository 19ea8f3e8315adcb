"""Folder runs: the runner, the one job per file both engines share, discovery, output
folder, manifest and lock, translation memory, atomic files, progress and report, Ray."""
