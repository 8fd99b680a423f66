"""Serbian (both scripts): 3. децембар 2026. 15:30; 4.767 and 2,5."""

DATE_FORMAT = "j. F Y."
DATETIME_FORMAT = "j. F Y. H:i"
TIME_FORMAT = "H:i"
YEAR_MONTH_FORMAT = "F Y."
MONTH_DAY_FORMAT = "j. F"
SHORT_DATE_FORMAT = "j.m.Y."
SHORT_DATETIME_FORMAT = "j.m.Y. H:i"
FIRST_DAY_OF_WEEK = 1
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d.%m.%Y.", "%d.%m.%Y", "%d. %m. %Y."]
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."
NUMBER_GROUPING = 3
