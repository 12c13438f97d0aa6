"""English dates read the same on both sides of the Atlantic: "1 Dec 2026", never 12/01/2026.
Spanish keeps Django's own formats ("1 de diciembre de 2026", 01/12/2026)."""

DATE_FORMAT = "j M Y"
SHORT_DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j M Y, H:i"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
TIME_FORMAT = "H:i"
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = "F Y"
FIRST_DAY_OF_WEEK = 1  # Monday, as in Spain
