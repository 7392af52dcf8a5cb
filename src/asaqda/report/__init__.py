"""The report for Word (bericht.docx) and the web (bericht.html)."""
