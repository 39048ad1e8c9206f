"""What researchers and managers read: the HTML report and the export tables, built from a finished output folder."""
