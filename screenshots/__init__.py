"""The README's screenshots (SVG) and the script that makes them: `python -m screenshots`."""
